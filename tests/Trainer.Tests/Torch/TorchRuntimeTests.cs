using System.Runtime.InteropServices;
using Spumr.Trainer.Torch;
using TorchSharp;

namespace Spumr.Trainer.Tests.Torch;

public sealed partial class TorchRuntimeTests
{
    [Fact]
    public void Asking_for_cuda_without_it_fails_with_one_line_that_says_what_to_do()
    {
        if (torch.cuda.is_available())
        {
            return; // a CUDA build on a GPU machine: nothing to refuse
        }

        var e = Assert.Throws<TrainingSetupException>(() => TorchRuntime.Initialize(DeviceChoice.Cuda, 1));

        Assert.StartsWith("--device cuda:", e.Message, StringComparison.Ordinal);
        Assert.Contains("--device cpu", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_and_cpu_is_the_cpu()
    {
        var expected = torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU;
        Assert.Equal(expected, TorchRuntime.Initialize(DeviceChoice.Auto, 1).type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.Initialize(DeviceChoice.Cpu, 1).type);
    }

    [Fact]
    public void The_thread_count_is_applied()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu, 1);
        Assert.Equal(1, torch.get_num_threads());
        TorchRuntime.Initialize(DeviceChoice.Cpu, 2);
        Assert.Equal(2, torch.get_num_threads());
    }

    [Fact]
    public void The_openmp_wait_policy_is_in_the_native_environment()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu, 1);
        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") ?? "", Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY")));
        Assert.False(string.IsNullOrEmpty(Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY"))));
    }

    [Theory]
    [InlineData("auto", DeviceChoice.Auto)]
    [InlineData("CPU", DeviceChoice.Cpu)]
    [InlineData("cuda", DeviceChoice.Cuda)]
    public void Device_names_parse(string text, DeviceChoice expected) => Assert.Equal(expected, TorchRuntime.ParseDevice(text));

    [Fact]
    public void A_bad_device_name_is_named_in_the_error()
    {
        var e = Assert.Throws<TrainingSetupException>(() => TorchRuntime.ParseDevice("tpu"));
        Assert.Contains("'tpu'", e.Message, StringComparison.Ordinal);
        Assert.Contains("--device", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_says_which_libtorch_it_carries() => Assert.Equal("cpu", TorchRuntime.Backend);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);
}
