using System.ComponentModel.DataAnnotations;
using Spumr.Trainer.Torch;

namespace Spumr.Trainer.Training;

/// <summary>Checks an options record's data annotations and reports every broken one in one line.</summary>
public static class OptionsValidation
{
    public static T Validated<T>(T options)
        where T : notnull
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new TrainingSetupException(string.Join(" ", results.Select(r => r.ErrorMessage)));
        }

        return options;
    }
}
