namespace Spumr.Trainer.Torch;

/// <summary>Where tensors live: <c>--device auto|cpu|cuda</c>.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when this build and machine have it, otherwise the CPU.</summary>
    Auto,
    Cpu,
    Cuda,
}
