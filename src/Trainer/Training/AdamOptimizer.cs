using Spumr.Trainer.Torch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Spumr.Trainer.Training;

/// <summary>
/// Adam as PyTorch defines it (betas 0.9/0.999, eps 1e-8, no weight decay, no amsgrad), written
/// with explicit Scalars: TorchSharp's own Adam passes temporary Scalars to libtorch that can be
/// finalized mid-call (see <see cref="Scalars"/>), which crashed long runs at random.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly List<Parameter> _parameters;
    private readonly List<Tensor> _firstMoments = [];
    private readonly List<Tensor> _secondMoments = [];
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private long _step;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = [.. parameters];
        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        using (no_grad())
        {
            foreach (var p in _parameters)
            {
                _firstMoments.Add(zeros_like(p).DetachFromDisposeScope());
                _secondMoments.Add(zeros_like(p).DetachFromDisposeScope());
            }
        }
    }

    /// <summary>Steps taken so far.</summary>
    public long StepCount => _step;

    /// <summary>Zeroes every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var p in _parameters)
        {
            p.grad?.zero_();
        }
    }

    /// <summary>One Adam update of every parameter that has a gradient.</summary>
    public void Step()
    {
        _step++;
        var biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        using var beta1 = _beta1.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var minusStepSize = (-_learningRate / biasCorrection1).ToScalar();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (var k = 0; k < _parameters.Count; k++)
        {
            var grad = _parameters[k].grad;
            if (grad is null)
            {
                continue;
            }

            var m = _firstMoments[k];
            var v = _secondMoments[k];
            m.mul_(beta1).add_(grad, oneMinusBeta1);
            v.mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = v.sqrt().div_(sqrtBiasCorrection2).add_(epsilon, Scalars.One);
            _parameters[k].addcdiv_(m, denominator, minusStepSize);
        }
    }

    public void Dispose()
    {
        foreach (var t in _firstMoments.Concat(_secondMoments))
        {
            t.Dispose();
        }
    }
}
