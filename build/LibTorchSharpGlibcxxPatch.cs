// Compiled twice: by MSBuild's RoslynCodeTaskFactory (Directory.Build.targets, against netstandard2.0,
// so no Span or BinaryPrimitives here) and, with SPUMR_ELF_ONLY defined, by Trainer.Tests.
#nullable enable
#if !SPUMR_ELF_ONLY
using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Build.Framework;
#endif
using System.Text;

namespace Spumr.Build;

/// <summary>What <see cref="ElfVersionNeedPatcher.Weaken"/> found or did.</summary>
public enum WeakenOutcome
{
    /// <summary>The file does not require the version at all: nothing to do.</summary>
    NotRequired,

    /// <summary>The requirement was already weak (an earlier build patched this copy).</summary>
    AlreadyWeak,

    /// <summary>The requirement is now weak.</summary>
    Weakened,
}

/// <summary>The ELF file cannot be patched safely; the message says why.</summary>
public sealed class ElfPatchException : Exception
{
    public ElfPatchException(string message)
        : base(message)
    {
    }
}

/// <summary>One Vernaux entry of <c>.gnu.version_r</c> and the dynamic symbols bound to its version index.</summary>
public sealed class VersionRequirement
{
    public VersionRequirement(int flagsOffset, ushort flags, int versionIndex, int versionTableOffset, IReadOnlyList<string> boundSymbols)
    {
        FlagsOffset = flagsOffset;
        Flags = flags;
        VersionIndex = versionIndex;
        VersionTableOffset = versionTableOffset;
        BoundSymbols = boundSymbols;
    }

    /// <summary>File offset of <c>vna_flags</c>.</summary>
    public int FlagsOffset { get; }

    public ushort Flags { get; }

    public bool IsWeak => (Flags & ElfVersionNeedPatcher.VersionFlagWeak) != 0;

    /// <summary>The version index (<c>vna_other</c>) that <c>.gnu.version</c> entries refer to.</summary>
    public int VersionIndex { get; }

    /// <summary>File offset of <c>.gnu.version</c> (one 16-bit index per dynamic symbol).</summary>
    public int VersionTableOffset { get; }

    public IReadOnlyList<string> BoundSymbols { get; }
}

/// <summary>
/// Marks one symbol-version requirement (a Vernaux entry of <c>.gnu.version_r</c>) weak in a 64-bit
/// little-endian ELF shared object, so that the dynamic loader accepts a library that lacks that version.
/// It refuses unless every dynamic symbol bound to that version is the one marker symbol the caller
/// names: weakening a version that real functions need would turn a load error into a crash later.
/// </summary>
public static class ElfVersionNeedPatcher
{
    /// <summary>VER_FLG_WEAK in <c>vna_flags</c>.</summary>
    public const ushort VersionFlagWeak = 0x2;

    private const uint SectionTypeDynSym = 11;
    private const uint SectionTypeGnuVerNeed = 0x6ffffffe;
    private const uint SectionTypeGnuVerSym = 0x6fffffff;

    /// <summary>
    /// Weakens, in <paramref name="elf"/> (modified in place), the requirement of
    /// <paramref name="versionName"/> from <paramref name="libraryName"/>, after checking that only
    /// <paramref name="allowedSymbol"/> is bound to it.
    /// </summary>
    public static WeakenOutcome Weaken(byte[] elf, string libraryName, string versionName, string allowedSymbol)
    {
        var requirement = Inspect(elf, libraryName, versionName);
        if (requirement is null)
        {
            return WeakenOutcome.NotRequired;
        }

        var offenders = new List<string>();
        foreach (var symbol in requirement.BoundSymbols)
        {
            if (symbol != allowedSymbol)
            {
                offenders.Add(symbol);
            }
        }

        if (offenders.Count > 0)
        {
            throw new ElfPatchException(
                $"{offenders.Count} symbol(s) other than {allowedSymbol} need {versionName}: {string.Join(", ", offenders)}; "
                + "weakening that requirement would hide a real dependency");
        }

        if ((requirement.Flags & VersionFlagWeak) != 0)
        {
            return WeakenOutcome.AlreadyWeak;
        }

        WriteU16(elf, requirement.FlagsOffset, (ushort)(requirement.Flags | VersionFlagWeak));
        return WeakenOutcome.Weakened;
    }

    /// <summary>
    /// Finds the Vernaux entry requiring <paramref name="versionName"/> from <paramref name="libraryName"/>
    /// and every dynamic symbol bound to its version index; null when the file does not require it.
    /// </summary>
    public static VersionRequirement? Inspect(byte[] elf, string libraryName, string versionName)
    {
        if (elf is null)
        {
            throw new ArgumentNullException(nameof(elf));
        }

        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new ElfPatchException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new ElfPatchException("not a 64-bit little-endian ELF file");
        }

        var sectionTableOffset = ReadU64(elf, 0x28);
        var sectionEntrySize = ReadU16(elf, 0x3A);
        var sectionCount = ReadU16(elf, 0x3C);
        if (sectionEntrySize < 64 || sectionTableOffset + ((ulong)sectionCount * sectionEntrySize) > (ulong)elf.Length)
        {
            throw new ElfPatchException("section header table is outside the file");
        }

        Section? dynSym = null;
        Section? verSym = null;
        Section? verNeed = null;
        var sections = new List<Section>();
        for (var i = 0; i < sectionCount; i++)
        {
            var at = checked((int)(sectionTableOffset + ((ulong)i * sectionEntrySize)));
            var s = new Section(
                ReadU32(elf, at + 4),
                ReadU64(elf, at + 24),
                ReadU64(elf, at + 32),
                ReadU32(elf, at + 40),
                ReadU32(elf, at + 44),
                ReadU64(elf, at + 56));
            if (s.Offset + s.Size > (ulong)elf.Length && s.Type != 8 /* SHT_NOBITS */)
            {
                throw new ElfPatchException($"section {i} lies outside the file");
            }

            sections.Add(s);
            switch (s.Type)
            {
                case SectionTypeDynSym:
                    dynSym = s;
                    break;
                case SectionTypeGnuVerSym:
                    verSym = s;
                    break;
                case SectionTypeGnuVerNeed:
                    verNeed = s;
                    break;
                default:
                    break;
            }
        }

        if (verNeed is null)
        {
            return null;
        }

        if (dynSym is null || verSym is null)
        {
            throw new ElfPatchException("has .gnu.version_r but no .dynsym or .gnu.version");
        }

        var needStrings = StringTable(sections, verNeed.Link);

        // Walk Verneed -> Vernaux to find the entry and the version index it defines.
        var auxOffset = -1;
        var versionIndex = -1;
        var need = (int)verNeed.Offset;
        for (var n = 0; n < verNeed.Info; n++)
        {
            var count = ReadU16(elf, need + 2);
            var file = ReadString(elf, needStrings, ReadU32(elf, need + 4));
            var aux = need + (int)ReadU32(elf, need + 8);
            for (var a = 0; a < count; a++)
            {
                var name = ReadString(elf, needStrings, ReadU32(elf, aux + 8));
                if (file == libraryName && name == versionName)
                {
                    auxOffset = aux;
                    versionIndex = ReadU16(elf, aux + 6) & 0x7fff;
                }

                aux += (int)ReadU32(elf, aux + 12);
            }

            var next = ReadU32(elf, need + 12);
            if (next == 0)
            {
                break;
            }

            need += (int)next;
        }

        if (auxOffset < 0)
        {
            return null;
        }

        // Every dynamic symbol whose .gnu.version entry carries that index needs that version.
        var symbolStrings = StringTable(sections, dynSym.Link);
        var symbolSize = dynSym.EntrySize == 0 ? 24UL : dynSym.EntrySize;
        var symbolCount = dynSym.Size / symbolSize;
        if (verSym.Size < symbolCount * 2)
        {
            throw new ElfPatchException(".gnu.version is shorter than .dynsym");
        }

        var bound = new List<string>();
        for (ulong i = 0; i < symbolCount; i++)
        {
            var index = ReadU16(elf, checked((int)(verSym.Offset + (i * 2)))) & 0x7fff;
            if (index == versionIndex)
            {
                bound.Add(ReadString(elf, symbolStrings, ReadU32(elf, checked((int)(dynSym.Offset + (i * symbolSize))))));
            }
        }

        return new VersionRequirement(auxOffset + 4, ReadU16(elf, auxOffset + 4), versionIndex, checked((int)verSym.Offset), bound);
    }

    /// <summary>
    /// Patches the file at <paramref name="path"/> through a temporary file and a rename, so a hard link
    /// to the original (a package cache entry) is never written through. Keeps the original timestamp so
    /// MSBuild's incremental copy sees the output as up to date and does not copy the unpatched file back.
    /// </summary>
    public static WeakenOutcome WeakenFile(string path, string libraryName, string versionName, string allowedSymbol)
    {
        var bytes = File.ReadAllBytes(path);
        var outcome = Weaken(bytes, libraryName, versionName, allowedSymbol);
        if (outcome != WeakenOutcome.Weakened)
        {
            return outcome;
        }

        var stamp = File.GetLastWriteTimeUtc(path);
        var temp = path + ".spumr-patch.tmp";
        File.WriteAllBytes(temp, bytes);
        File.SetLastWriteTimeUtc(temp, stamp);
        try
        {
            // On Unix, File.Replace is rename(2): atomic, and it replaces the directory entry, not the inode.
            File.Replace(temp, path, null);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return outcome;
    }

    private static int StringTable(List<Section> sections, uint index)
    {
        if (index >= sections.Count)
        {
            throw new ElfPatchException($"string table section {index} does not exist");
        }

        return checked((int)sections[(int)index].Offset);
    }

    private static string ReadString(byte[] elf, int table, uint offset)
    {
        var start = checked(table + (int)offset);
        var end = start;
        while (end < elf.Length && elf[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(elf, start, end - start);
    }

    private static ushort ReadU16(byte[] b, int at) => (ushort)(b[at] | (b[at + 1] << 8));

    private static uint ReadU32(byte[] b, int at) => ReadU16(b, at) | ((uint)ReadU16(b, at + 2) << 16);

    private static ulong ReadU64(byte[] b, int at) => ReadU32(b, at) | ((ulong)ReadU32(b, at + 4) << 32);

    private static void WriteU16(byte[] b, int at, ushort value)
    {
        b[at] = (byte)value;
        b[at + 1] = (byte)(value >> 8);
    }

    private sealed class Section
    {
        public Section(uint type, ulong offset, ulong size, uint link, uint info, ulong entrySize)
        {
            Type = type;
            Offset = offset;
            Size = size;
            Link = link;
            Info = info;
            EntrySize = entrySize;
        }

        public uint Type { get; }

        public ulong Offset { get; }

        public ulong Size { get; }

        public uint Link { get; }

        public uint Info { get; }

        public ulong EntrySize { get; }
    }
}

#if !SPUMR_ELF_ONLY
/// <summary>
/// TorchSharp 0.107's libLibTorchSharp.so requires GLIBCXX_3.4.32 only for
/// <c>_ZSt21ios_base_library_initv</c>, a marker it never calls; Debian 12's libstdc++ stops at 3.4.30.
/// Weakening that one requirement in the build output's copy lets libtorch load; the build fails if the
/// version ever guards anything else.
/// </summary>
public sealed class WeakenLibTorchSharpGlibcxx : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        foreach (var item in Files)
        {
            var path = item.GetMetadata("FullPath");
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var outcome = ElfVersionNeedPatcher.WeakenFile(path, "libstdc++.so.6", "GLIBCXX_3.4.32", "_ZSt21ios_base_library_initv");
                Log.LogMessage(MessageImportance.Low, $"{path}: GLIBCXX_3.4.32 requirement {outcome}");
            }
            catch (Exception e) when (e is ElfPatchException or IOException or UnauthorizedAccessException)
            {
                Log.LogError($"Refusing to patch {path} for Debian 12's libstdc++: {e.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }
}
#endif
