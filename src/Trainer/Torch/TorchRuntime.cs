using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Spumr.Trainer.Torch;

/// <summary>
/// The one way into libtorch. Every torch entry point (training, scoring, tests) calls
/// <see cref="Initialize"/> first: it puts OpenMP's wait policy in the native environment before
/// libtorch loads, fixes the thread count, and resolves <c>--device</c>.
/// </summary>
public static partial class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _environmentPrepared;

    /// <summary>The libtorch flavour this build references: "cpu" or "cuda" (<c>-p:TorchBackend</c>).</summary>
    public static string Backend { get; } =
        typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "cpu";

    /// <summary>This build's version and git commit (from the SDK's source revision), for run records.</summary>
    public static string BuildVersion { get; } =
        typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// Prepares libtorch and returns the device to use. <paramref name="threads"/> of 0 means one per
    /// core. Throws <see cref="TrainingSetupException"/> when CUDA is asked for and not available.
    /// </summary>
    public static Device Initialize(DeviceChoice choice = DeviceChoice.Auto, int threads = 0)
    {
        if (threads < 0)
        {
            throw new TrainingSetupException($"--threads must be 0 (one per core) or more, not {threads}.");
        }

        lock (Gate)
        {
            PrepareNativeEnvironment();
            return ConfigureTorch(choice, threads == 0 ? Environment.ProcessorCount : threads);
        }
    }

    /// <summary>Turns an option value into a <see cref="DeviceChoice"/>; the error names the bad value.</summary>
    public static DeviceChoice ParseDevice(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" or "gpu" => DeviceChoice.Cuda,
        _ => throw new TrainingSetupException($"--device must be auto, cpu or cuda, not '{value}'."),
    };

    // Kept out of Initialize so that nothing of TorchSharp is touched (or its static state
    // initialised) before the native environment is in place.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Device ConfigureTorch(DeviceChoice choice, int threads)
    {
        torch.set_num_threads(threads);
        return choice switch
        {
            DeviceChoice.Cpu => CPU,
            DeviceChoice.Cuda => RequireCuda(),
            _ => torch.cuda.is_available() ? CUDA : CPU,
        };
    }

    private static Device RequireCuda()
    {
        if (torch.cuda.is_available())
        {
            return CUDA;
        }

        throw new TrainingSetupException(Backend == "cuda"
            ? "--device cuda: no CUDA device is visible to libtorch on this machine (check the NVIDIA driver and CUDA_VISIBLE_DEVICES), use --device cpu."
            : "--device cuda: this build carries the CPU libtorch; rebuild with -p:TorchBackend=cuda on a machine with an NVIDIA GPU, or use --device cpu.");
    }

    private static void PrepareNativeEnvironment()
    {
        if (_environmentPrepared)
        {
            return;
        }

        // OpenMP reads its settings once, when libtorch loads; the default spin-wait made a batch
        // several times slower on a busy 2-core machine. Environment.SetEnvironmentVariable only
        // changes .NET's copy, so the native environment is set through libc. A value the user
        // already exported wins.
        const string WaitPolicy = "OMP_WAIT_POLICY";
        if (Environment.GetEnvironmentVariable(WaitPolicy) is null)
        {
            if (!OperatingSystem.IsWindows())
            {
                _ = SetEnv(WaitPolicy, "PASSIVE", 0);
            }

            Environment.SetEnvironmentVariable(WaitPolicy, "PASSIVE");
        }

        _environmentPrepared = true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
