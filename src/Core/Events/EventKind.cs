namespace Spumr.Core.Events;

/// <summary>The kinds of event Spumr carries; each has its own topics.</summary>
public enum EventKind
{
    Interaction,
    ItemFeatures,
}
