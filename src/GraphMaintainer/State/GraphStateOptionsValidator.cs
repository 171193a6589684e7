using Microsoft.Extensions.Options;

namespace Spumr.GraphMaintainer.State;

/// <summary>Validates bound <see cref="GraphStateOptions"/> at host start with the same rules as the state itself.</summary>
public sealed class GraphStateOptionsValidator : IValidateOptions<GraphStateOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphStateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{GraphStateOptions.SectionName}: {e.Message}");
        }
    }
}
