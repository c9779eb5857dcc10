using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pec.Gateway.Problems;
using Pec.Routing.Registry;

namespace Pec.Gateway.Authentication;

/// <summary>
/// Authenticates an administration by its TLS client certificate: the chain must reach a PEC
/// anchor, and the certificate must be registered, unrevoked, to an administration.
/// Failures answer 401 problem+json naming the reason; a wrong role answers 403.
/// </summary>
internal sealed class ClientCertificateHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ClientCertificateValidator validator,
    RegistryRepository registry) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private (ProblemKind Kind, object?[] Arguments)? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var certificate = await Context.Connection.GetClientCertificateAsync(Context.RequestAborted);
        if (certificate is null)
        {
            return AuthenticateResult.NoResult();
        }

        var fingerprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        var chainProblem = validator.Validate(certificate);
        if (chainProblem is not null)
        {
            return Fail(ProblemCatalog.CertificateNotTrusted, chainProblem);
        }

        var binding = await registry.FindCertificateAsync(fingerprint, Context.RequestAborted);
        if (binding is null)
        {
            return Fail(ProblemCatalog.CertificateUnknown, fingerprint);
        }

        if (binding.RevokedAt is not null)
        {
            return Fail(ProblemCatalog.CertificateRevoked, fingerprint);
        }

        var administration = binding.Administration;
        var identity = new ClaimsIdentity(
            [
                new Claim(PecClaims.AdministrationId, administration.Id),
                new Claim(ClaimTypes.Name, administration.Name),
                new Claim(ClaimTypes.Role, administration.Role.ToString()),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (kind, arguments) = _failure ?? (ProblemCatalog.AuthenticationRequired, []);
        return ApiProblem.WriteAsync(Context, kind, arguments);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblem.WriteAsync(Context, ProblemCatalog.ForbiddenRole);

    private AuthenticateResult Fail(ProblemKind kind, params object?[] arguments)
    {
        _failure = (kind, arguments);
        Log.AuthenticationFailed(Logger, kind.Slug, Context.Connection.RemoteIpAddress?.ToString());
        return AuthenticateResult.Fail(kind.Slug);
    }
}
