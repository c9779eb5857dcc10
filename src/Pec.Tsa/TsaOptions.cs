using System.ComponentModel.DataAnnotations;

namespace Pec.Tsa;

/// <summary>Settings of the development time-stamping authority, bound from <c>Tsa</c>.</summary>
internal sealed class TsaOptions
{
    /// <summary>PEM certificate of the TSA. It must carry the critical timeStamping extended key usage (RFC 3161, 2.3).</summary>
    [Required(ErrorMessage = "Tsa:CertificatePath is required (PEM certificate with the timeStamping usage).")]
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM private key of the TSA certificate, unencrypted.</summary>
    [Required(ErrorMessage = "Tsa:KeyPath is required (PEM private key of the TSA certificate).")]
    public string KeyPath { get; set; } = "";

    /// <summary>
    /// TSA policy OID written in every token when the request names none. Default: an OID under the
    /// UUID arc 2.25 made for PEC's development TSA, which no production policy uses.
    /// </summary>
    [Required]
    [RegularExpression(@"^[0-2](\.(0|[1-9][0-9]*))+$", ErrorMessage = "Tsa:PolicyOid must be a dotted OID.")]
    public string PolicyOid { get; set; } = "2.25.226237775206987741553678930903251518367";

    /// <summary>Accuracy declared in tokens, in milliseconds. Default 1000.</summary>
    [Range(1, 60_000)]
    public int AccuracyMilliseconds { get; set; } = 1000;
}
