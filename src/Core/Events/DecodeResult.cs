using System.Diagnostics.CodeAnalysis;

namespace Spumr.Core.Events;

/// <summary>Either a valid event or the reason it was refused.</summary>
public sealed class DecodeResult<TEvent>
    where TEvent : class
{
    private DecodeResult(TEvent? value, EventRejection? rejection)
    {
        Event = value;
        Rejection = rejection;
    }

    public TEvent? Event { get; }

    public EventRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsAccepted => Event is not null;

    public static DecodeResult<TEvent> Accept(TEvent value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static DecodeResult<TEvent> Reject(EventRejection rejection) => new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    public override string ToString() => IsAccepted ? $"accepted {Event}" : $"rejected {Rejection}";
}
