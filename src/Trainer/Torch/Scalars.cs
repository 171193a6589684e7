using TorchSharp;

namespace Spumr.Trainer.Torch;

/// <summary>
/// Scalars that live for the whole process. TorchSharp 0.107 fills unspecified arguments (the
/// <c>alpha</c> of <c>add</c> and <c>sub</c>, the <c>value</c> of <c>addcdiv_</c>, ...) with temporary
/// Scalars that nothing keeps alive during the native call; a garbage collection on another thread can
/// finalize one mid-call, and libtorch then fails at random ("Expected false to be true ... toFloat").
/// Code in this project passes every Scalar explicitly: these constants, or a local held by <c>using</c>.
/// </summary>
public static class Scalars
{
    public static Scalar One { get; } = 1.0.ToScalar();

    public static Scalar MinusOne { get; } = (-1.0).ToScalar();
}
