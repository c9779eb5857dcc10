using System.Security.Claims;
using Pec.Routing.Registry;

namespace Pec.Gateway.Authentication;

/// <summary>Claim and scheme names of the client certificate authentication.</summary>
internal static class PecClaims
{
    public const string Scheme = "PecClientCertificate";
    public const string AdministrationId = "pec:administration";
    public const string AuditorPolicy = "auditor";
    public const string AdministrationPolicy = "administration";
    public const string OperatorPolicy = "operator";

    public static string AdministrationIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(AdministrationId) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static bool IsAuditor(this ClaimsPrincipal user) =>
        user.IsInRole(nameof(AdministrationRole.Auditor));
}
