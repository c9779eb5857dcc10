using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pec.Routing.Persistence;

namespace Pec.Routing.Registry;

/// <summary>
/// Loads the registry file into PostgreSQL in one transaction: administrations, their
/// certificates and flow types are upserted; registered certificates the file no longer
/// lists are marked revoked, so removing a certificate from the file locks it out.
/// </summary>
internal sealed class RegistryLoader(NpgsqlDataSource dataSource, IOptions<RegistryOptions> options, TimeProvider timeProvider, ILogger<RegistryLoader> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    // Same advisory lock key space as the migrations; a different key for the registry.
    private const long RegistryLockKey = 0x5045_4302;

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.Path;
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var fullPath = System.IO.Path.GetFullPath(path);
        var bytes = await ReadFileAsync(fullPath, cancellationToken);
        var file = JsonSerializer.Deserialize<RegistryFile>(bytes, JsonOptions)
            ?? throw new InvalidOperationException($"The registry file '{fullPath}' is empty.");
        var errors = RegistryValidator.Validate(file).ToList();
        var certificateDirectory = options.Value.CertificateDirectory ?? System.IO.Path.GetDirectoryName(fullPath)!;
        var certificates = ReadCertificates(file, certificateDirectory, errors);
        foreach (var administration in file.Administrations.Where(a => a.Delivery?.TrustedCa is not null))
        {
            var caPath = System.IO.Path.GetFullPath(System.IO.Path.Combine(certificateDirectory, administration.Delivery!.TrustedCa!));
            if (!File.Exists(caPath))
            {
                errors.Add($"Administration '{administration.Id}': delivery CA file '{caPath}' not found.");
                continue;
            }

            // Push clients load this file at the first attempt; a file that is no certificate would
            // only show as unreachable attempts until the delivery expires.
            try
            {
                using var ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
            }
            catch (Exception exception) when (exception is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                errors.Add($"Administration '{administration.Id}': delivery CA file '{caPath}' is not a readable certificate ({exception.Message}).");
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"The registry file '{fullPath}' is invalid:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", errors)}");
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("select pg_advisory_xact_lock(@key)", transaction, cancellationToken, ("key", RegistryLockKey));
        var now = timeProvider.GetUtcNow();

        foreach (var administration in file.Administrations)
        {
            await UpsertAdministrationAsync(connection, transaction, administration, certificateDirectory, now, cancellationToken);
        }

        await UpsertCertificatesAsync(connection, transaction, certificates, now, cancellationToken);
        await ReplaceCodesAsync(connection, transaction, file, cancellationToken);

        foreach (var flowType in file.FlowTypes)
        {
            await UpsertFlowTypeAsync(connection, transaction, flowType, now, cancellationToken);
            await UpdateRecipientRulesAsync(connection, transaction, flowType, cancellationToken);
        }

        await connection.ExecuteAsync(
            """
            insert into registry_versions (version, file_sha256, loaded_at) values (@version, @sha, @at)
            on conflict (version) do update set file_sha256 = excluded.file_sha256, loaded_at = excluded.loaded_at
            """,
            transaction, cancellationToken,
            ("version", file.Version), ("sha", Convert.ToHexStringLower(SHA256.HashData(bytes))), ("at", now));
        await transaction.CommitAsync(cancellationToken);
        Log.RegistryLoaded(logger, file.Version, file.Administrations.Count, file.FlowTypes.Count, certificates.Count);
    }

    private static async Task<byte[]> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException($"The registry file '{path}' cannot be read: {exception.Message}", exception);
        }
    }

    private static List<RegisteredCertificate> ReadCertificates(RegistryFile file, string directory, List<string> errors)
    {
        var result = new List<RegisteredCertificate>();
        foreach (var administration in file.Administrations)
        {
            foreach (var name in administration.Certificates)
            {
                var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, name));
                if (!File.Exists(path))
                {
                    errors.Add($"Administration '{administration.Id}': certificate file '{path}' not found.");
                    continue;
                }

                using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
                result.Add(new RegisteredCertificate(
                    Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)),
                    administration.Id, certificate.Subject, certificate.SerialNumber, new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero), Revoked: false));
            }

            foreach (var fingerprint in administration.CertificateFingerprints)
            {
                result.Add(new RegisteredCertificate(NormalizeFingerprint(fingerprint), administration.Id, "", "", null, Revoked: false));
            }

            foreach (var fingerprint in administration.RevokedCertificates)
            {
                result.Add(new RegisteredCertificate(NormalizeFingerprint(fingerprint), administration.Id, "", "", null, Revoked: true));
            }
        }

        return result;
    }

    private static string NormalizeFingerprint(string fingerprint) =>
        fingerprint.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();

    private static Task<int> UpsertAdministrationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistryFile.AdministrationEntry administration, string certificateDirectory, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            insert into administrations (id, name, siren, role, delivery_channel, delivery_url, delivery_ca_file, updated_at)
            values (@id, @name, @siren, @role, @channel, @url, @ca, @at)
            on conflict (id) do update set name = excluded.name, siren = excluded.siren, role = excluded.role,
                delivery_channel = excluded.delivery_channel, delivery_url = excluded.delivery_url,
                delivery_ca_file = excluded.delivery_ca_file, updated_at = excluded.updated_at
            """,
            transaction, cancellationToken,
            ("id", administration.Id), ("name", administration.Name), ("siren", administration.Siren),
            ("role", AdministrationRoles.ToWireName(administration.Role)),
            ("channel", administration.Delivery?.Channel ?? "mailbox"), ("url", administration.Delivery?.Url),
            ("ca", administration.Delivery?.TrustedCa is { } ca ? System.IO.Path.GetFullPath(System.IO.Path.Combine(certificateDirectory, ca)) : null),
            ("at", now));

    private static async Task UpsertCertificatesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<RegisteredCertificate> certificates, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var certificate in certificates)
        {
            await connection.ExecuteAsync(
                """
                insert into administration_certificates (sha256, administration_id, subject, serial_number, not_after, revoked_at)
                values (@sha, @administration, @subject, @serial, @notAfter, @revokedAt)
                on conflict (sha256) do update set
                    administration_id = excluded.administration_id,
                    revoked_at = case when excluded.revoked_at is null then null
                                      else coalesce(administration_certificates.revoked_at, excluded.revoked_at) end
                """,
                transaction, cancellationToken,
                ("sha", certificate.Sha256), ("administration", certificate.AdministrationId), ("subject", certificate.Subject),
                ("serial", certificate.SerialNumber), ("notAfter", certificate.NotAfter),
                ("revokedAt", certificate.Revoked ? now : null));
        }

        var listed = certificates.Select(c => c.Sha256).ToArray();
        await connection.ExecuteAsync(
            "update administration_certificates set revoked_at = @at where revoked_at is null and not (sha256 = any(@listed))",
            transaction, cancellationToken, ("at", now), ("listed", listed));
    }

    private static Task<int> UpsertFlowTypeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistryFile.FlowTypeEntry flowType, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            """
            insert into flow_types (id, description, media_types, max_size_bytes, signature_level, seal_unsigned,
                                    delivery_expiry_s, retention_days, senders, recipients, ordered, updated_at)
            values (@id, @description, @mediaTypes, @maxSize, @level, @seal, @expiry, @retention, @senders, @recipients, @ordered, @at)
            on conflict (id) do update set
                description = excluded.description, media_types = excluded.media_types, max_size_bytes = excluded.max_size_bytes,
                signature_level = excluded.signature_level, seal_unsigned = excluded.seal_unsigned,
                delivery_expiry_s = excluded.delivery_expiry_s, retention_days = excluded.retention_days,
                senders = excluded.senders, recipients = excluded.recipients, ordered = excluded.ordered, updated_at = excluded.updated_at
            """,
            transaction, cancellationToken,
            ("id", flowType.Id), ("description", flowType.Description),
            ("mediaTypes", flowType.MediaTypes.Select(m => m.ToLowerInvariant()).ToArray()), ("maxSize", flowType.MaxSizeBytes),
            ("level", flowType.SignatureLevel), ("seal", flowType.SealUnsigned), ("expiry", (long)Math.Ceiling((flowType.DeliveryExpiry ?? TimeSpan.FromDays(flowType.DeliveryExpiryDays)).TotalSeconds)),
            ("retention", flowType.RetentionDays), ("senders", flowType.Senders.ToArray()), ("recipients", flowType.Recipients.ToArray()), ("ordered", flowType.Ordered), ("at", now));

    // The file is the whole truth about codes: a code it no longer lists stops resolving at once.
    private static async Task ReplaceCodesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistryFile file, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync("delete from administration_codes", transaction, cancellationToken);
        foreach (var administration in file.Administrations)
        {
            foreach (var (kind, codes) in administration.Codes)
            {
                await connection.ExecuteAsync(
                    "insert into administration_codes (kind, code, administration_id) select @kind, unnest(@codes), @administration on conflict do nothing",
                    transaction, cancellationToken, ("kind", kind), ("codes", codes.ToArray()), ("administration", administration.Id));
            }
        }
    }

    private static Task<int> UpdateRecipientRulesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistryFile.FlowTypeEntry flowType, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(
            "update flow_types set recipient_rules = @rules::jsonb where id = @id",
            transaction, cancellationToken, ("id", flowType.Id), ("rules", JsonSerializer.Serialize(flowType.RecipientRules, JsonOptions)));

    private sealed record RegisteredCertificate(string Sha256, string AdministrationId, string Subject, string SerialNumber, DateTimeOffset? NotAfter, bool Revoked);
}
