using Spumr.Build;

namespace Spumr.Trainer.Tests.Build;

public sealed class ElfVersionNeedPatcherTests
{
    private const string Library = "libstdc++.so.6";
    private const string Version = "GLIBCXX_3.4.32";
    private const string Marker = "_ZSt21ios_base_library_initv";

    [Fact]
    public void The_build_output_copy_is_already_weak_and_only_the_marker_needs_the_version()
    {
        var requirement = ElfVersionNeedPatcher.Inspect(File.ReadAllBytes(LibTorchSharpInOutput()), Library, Version);

        Assert.NotNull(requirement);
        Assert.True(requirement.IsWeak);
        Assert.Equal([Marker], requirement.BoundSymbols);
    }

    [Fact]
    public void Weakening_an_unpatched_library_flips_exactly_one_flag_and_is_idempotent()
    {
        var original = Unpatched();
        var patched = (byte[])original.Clone();

        Assert.Equal(WeakenOutcome.Weakened, ElfVersionNeedPatcher.Weaken(patched, Library, Version, Marker));

        var differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToList();
        var requirement = ElfVersionNeedPatcher.Inspect(patched, Library, Version)!;
        Assert.Equal([requirement.FlagsOffset], differing);
        Assert.True(requirement.IsWeak);

        var again = (byte[])patched.Clone();
        Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersionNeedPatcher.Weaken(again, Library, Version, Marker));
        Assert.Equal(patched, again);
    }

    [Fact]
    public void It_refuses_when_another_symbol_is_bound_to_the_version_and_names_it()
    {
        var elf = Unpatched();
        var requirement = ElfVersionNeedPatcher.Inspect(elf, Library, Version)!;

        // Rebind some other dynamic symbol (entry 1, the first after the null symbol) to that version.
        var entry = requirement.VersionTableOffset + 2;
        elf[entry] = (byte)requirement.VersionIndex;
        elf[entry + 1] = (byte)(requirement.VersionIndex >> 8);
        var other = ElfVersionNeedPatcher.Inspect(elf, Library, Version)!.BoundSymbols.Single(s => s != Marker);

        var e = Assert.Throws<ElfPatchException>(() => ElfVersionNeedPatcher.Weaken(elf, Library, Version, Marker));
        Assert.Contains(other, e.Message, StringComparison.Ordinal);
        Assert.Contains(Version, e.Message, StringComparison.Ordinal);
        Assert.False(ElfVersionNeedPatcher.Inspect(elf, Library, Version)!.IsWeak);
    }

    [Fact]
    public void A_version_the_library_does_not_require_needs_nothing()
    {
        var elf = Unpatched();
        var before = (byte[])elf.Clone();

        Assert.Equal(WeakenOutcome.NotRequired, ElfVersionNeedPatcher.Weaken(elf, Library, "GLIBCXX_9.9.99", Marker));
        Assert.Equal(WeakenOutcome.NotRequired, ElfVersionNeedPatcher.Weaken(elf, "libother.so.1", Version, Marker));
        Assert.Equal(before, elf);
    }

    [Fact]
    public void A_file_that_is_not_elf_is_refused_with_the_reason()
    {
        var e = Assert.Throws<ElfPatchException>(() => ElfVersionNeedPatcher.Weaken(new byte[128], Library, Version, Marker));
        Assert.Contains("not an ELF file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patching_a_file_replaces_it_by_rename_so_hard_links_keep_the_original_and_the_timestamp_stays()
    {
        var folder = Directory.CreateTempSubdirectory("spumr-elf-");
        try
        {
            var target = Path.Combine(folder.FullName, "libLibTorchSharp.so");
            var link = Path.Combine(folder.FullName, "cache-copy.so");
            var original = Unpatched();
            File.WriteAllBytes(link, original);
            var stamp = new DateTime(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(link, stamp);
            using (var ln = System.Diagnostics.Process.Start("ln", [link, target]))
            {
                ln.WaitForExit();
                Assert.Equal(0, ln.ExitCode);
            }


            Assert.Equal(WeakenOutcome.Weakened, ElfVersionNeedPatcher.WeakenFile(target, Library, Version, Marker));
            Assert.Equal(WeakenOutcome.AlreadyWeak, ElfVersionNeedPatcher.WeakenFile(target, Library, Version, Marker));

            Assert.Equal(original, File.ReadAllBytes(link));
            Assert.True(ElfVersionNeedPatcher.Inspect(File.ReadAllBytes(target), Library, Version)!.IsWeak);
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(target));
            Assert.Empty(Directory.GetFiles(folder.FullName, "*.tmp"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string LibTorchSharpInOutput() =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The output copy with the weak flag cleared again: the bytes as TorchSharp ships them.</summary>
    private static byte[] Unpatched()
    {
        var elf = File.ReadAllBytes(LibTorchSharpInOutput());
        var requirement = ElfVersionNeedPatcher.Inspect(elf, Library, Version)!;
        var flags = requirement.Flags & ~ElfVersionNeedPatcher.VersionFlagWeak;
        elf[requirement.FlagsOffset] = (byte)flags;
        elf[requirement.FlagsOffset + 1] = (byte)(flags >> 8);
        return elf;
    }
}
