using System.Globalization;

namespace Pec.Routing.Registry;

/// <summary>Checks a registry file as a whole and lists every problem at once.</summary>
internal static class RegistryValidator
{
    private static readonly string[] SignatureLevels = ["none", "RGS*", "RGS**", "RGS***"];

    public static IReadOnlyList<string> Validate(RegistryFile file)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(file.Version))
        {
            errors.Add("'version' is missing.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var administration in file.Administrations)
        {
            if (!IsValidId(administration.Id))
            {
                errors.Add($"Administration id '{administration.Id}' is invalid: use 1 to 64 of A-Z, 0-9 and '-'.");
            }
            else if (!ids.Add(administration.Id))
            {
                errors.Add($"Administration '{administration.Id}' is declared twice.");
            }

            if (string.IsNullOrWhiteSpace(administration.Name))
            {
                errors.Add($"Administration '{administration.Id}' has no name.");
            }

            ValidateDelivery(administration, errors);
            if (administration.Siren is { } siren && (siren.Length != 9 || !siren.All(char.IsAsciiDigit)))
            {
                errors.Add($"Administration '{administration.Id}' has an invalid SIREN '{siren}': nine digits expected.");
            }
        }

        var flowTypeIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flowType in file.FlowTypes)
        {
            ValidateFlowType(flowType, ids, flowTypeIds, errors);
        }

        RecipientRuleValidator.Validate(file, errors);
        return errors;
    }

    private static void ValidateFlowType(RegistryFile.FlowTypeEntry flowType, HashSet<string> administrationIds, HashSet<string> flowTypeIds, List<string> errors)
    {
        var name = flowType.Id;
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
        {
            errors.Add($"Flow type id '{name}' is invalid: use 1 to 128 of a-z, 0-9, '.' and '-'.");
        }
        else if (!flowTypeIds.Add(name))
        {
            errors.Add($"Flow type '{name}' is declared twice.");
        }

        if (flowType.MediaTypes.Count == 0)
        {
            errors.Add($"Flow type '{name}' lists no media type.");
        }

        if (flowType.MaxSizeBytes <= 0)
        {
            errors.Add($"Flow type '{name}' needs a positive maxSizeBytes.");
        }

        if (!SignatureLevels.Contains(flowType.SignatureLevel, StringComparer.Ordinal))
        {
            errors.Add($"Flow type '{name}' has signature level '{flowType.SignatureLevel}'; expected one of {string.Join(", ", SignatureLevels)}.");
        }

        if (flowType.DeliveryExpiryDays <= 0 || flowType.RetentionDays <= 0)
        {
            errors.Add($"Flow type '{name}' needs positive deliveryExpiryDays and retentionDays.");
        }

        if (flowType.DeliveryExpiry is { } expiry && (expiry < TimeSpan.FromSeconds(1) || expiry > TimeSpan.FromDays(365)))
        {
            errors.Add($"Flow type '{name}' has deliveryExpiry {expiry}; expected between 1 second and 365 days.");
        }

        foreach (var id in flowType.Senders.Concat(flowType.Recipients).Where(id => !administrationIds.Contains(id)))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Flow type '{name}' names unknown administration '{id}'."));
        }
    }

    private static void ValidateDelivery(RegistryFile.AdministrationEntry administration, List<string> errors)
    {
        switch (administration.Delivery)
        {
            case null or { Channel: "mailbox" }:
                return;
            case { Channel: "https" } delivery:
                if (!Uri.TryCreate(delivery.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.UserInfo))
                {
                    errors.Add($"Administration '{administration.Id}': delivery url '{delivery.Url}' must be an absolute https URL without user info.");
                }

                if (string.IsNullOrWhiteSpace(delivery.TrustedCa))
                {
                    errors.Add($"Administration '{administration.Id}': the https channel needs 'trustedCa', the CA of the endpoint's certificate.");
                }

                return;
            default:
                errors.Add($"Administration '{administration.Id}': delivery channel '{administration.Delivery.Channel}' is unknown; expected mailbox or https.");
                return;
        }
    }

    private static bool IsValidId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');
}
