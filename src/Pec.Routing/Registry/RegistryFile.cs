using System.Text.Json.Serialization;

namespace Pec.Routing.Registry;

/// <summary>The JSON registry file that operators version and load into PostgreSQL.</summary>
internal sealed class RegistryFile
{
    /// <summary>Version label of the file, recorded with each load.</summary>
    public string Version { get; set; } = "";

    public List<AdministrationEntry> Administrations { get; set; } = [];

    public List<FlowTypeEntry> FlowTypes { get; set; } = [];

    internal sealed class AdministrationEntry
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string? Siren { get; set; }

        [JsonConverter(typeof(JsonStringEnumConverter<AdministrationRole>))]
        public AdministrationRole Role { get; set; } = AdministrationRole.Administration;

        /// <summary>PEM certificate files, relative to the configured certificate folder.</summary>
        public List<string> Certificates { get; set; } = [];

        /// <summary>SHA-256 fingerprints (hex) of certificates registered without their file.</summary>
        public List<string> CertificateFingerprints { get; set; } = [];

        /// <summary>SHA-256 fingerprints (hex) of certificates that must be refused.</summary>
        public List<string> RevokedCertificates { get; set; } = [];

        /// <summary>Routing codes by kind, such as <c>{"insee": ["06088"]}</c>, that recipient rules map payload values to.</summary>
        public Dictionary<string, List<string>> Codes { get; set; } = [];

        /// <summary>How the administration receives flows; the pull mailbox when absent.</summary>
        public DeliveryEntry? Delivery { get; set; }
    }

    internal sealed class DeliveryEntry
    {
        /// <summary><c>mailbox</c> (pull) or <c>https</c> (push to <see cref="Url"/>).</summary>
        public string Channel { get; set; } = "mailbox";

        /// <summary>HTTPS endpoint PEC posts flows to, for the <c>https</c> channel.</summary>
        public string? Url { get; set; }

        /// <summary>PEM file of the CA that issued the endpoint's server certificate, relative to the certificate folder.</summary>
        public string? TrustedCa { get; set; }
    }

    internal sealed class FlowTypeEntry
    {
        public string Id { get; set; } = "";

        public string Description { get; set; } = "";

        public List<string> MediaTypes { get; set; } = [];

        public long MaxSizeBytes { get; set; }

        public string SignatureLevel { get; set; } = "none";

        public bool SealUnsigned { get; set; }

        public int DeliveryExpiryDays { get; set; } = 7;

        /// <summary>Expiry as a duration (<c>d.hh:mm:ss</c>), overriding <see cref="DeliveryExpiryDays"/>; for test beds.</summary>
        public TimeSpan? DeliveryExpiry { get; set; }

        /// <summary>Deliver flows with the same sender, correlation id and recipient in submission order.</summary>
        public bool Ordered { get; set; }

        public int RetentionDays { get; set; } = 3650;

        public List<string> Senders { get; set; } = [];

        public List<string> Recipients { get; set; } = [];

        /// <summary>Rules that derive the recipients from the payload when a submission has no <c>Pec-Recipients</c> header.</summary>
        public List<RecipientRule> RecipientRules { get; set; } = [];
    }
}
