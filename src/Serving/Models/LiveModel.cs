namespace Spumr.Serving.Models;

/// <summary>
/// The model Serving answers from: one reference, swapped whole. Readers take <see cref="Current"/>
/// once per request and use only that snapshot.
/// </summary>
public sealed class LiveModel
{
    private volatile LoadedModel? _current;

    public LoadedModel? Current => _current;

    public void Swap(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _current = model;
    }
}
