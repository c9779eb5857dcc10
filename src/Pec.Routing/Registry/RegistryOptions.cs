namespace Pec.Routing.Registry;

/// <summary>Where the registry file is read from at start, bound from <c>Pec:Registry</c>.</summary>
public sealed class RegistryOptions
{
    /// <summary>Path of the JSON registry file. When empty, the registry already in PostgreSQL is used as it is.</summary>
    public string? Path { get; set; }

    /// <summary>Folder against which the certificate file names of the registry are resolved. Default: the registry file's folder.</summary>
    public string? CertificateDirectory { get; set; }
}
