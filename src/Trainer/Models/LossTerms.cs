using static TorchSharp.torch;

namespace Spumr.Trainer.Models;

/// <summary>
/// A batch loss as named, already weighted terms (for example <c>bpr</c> and <c>reg</c>); the loss
/// to minimise is their sum. The names become the loss columns of the run's metrics.
/// </summary>
public sealed class LossTerms
{
    public LossTerms(params (string Name, Tensor Value)[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Length == 0)
        {
            throw new ArgumentException("A loss needs at least one term.", nameof(terms));
        }

        Terms = terms;
        Total = terms.Length == 1 ? terms[0].Value : stack(terms.Select(t => t.Value)).sum();
    }

    public Tensor Total { get; }

    public IReadOnlyList<(string Name, Tensor Value)> Terms { get; }
}
