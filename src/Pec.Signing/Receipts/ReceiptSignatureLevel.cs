namespace Pec.Signing.Receipts;

/// <summary>The form of a receipt signature, as found by <see cref="ReceiptVerifier"/>.</summary>
public enum ReceiptSignatureLevel
{
    /// <summary>Plain enveloped XML-DSig, as issued before XAdES receipts: no signed signing time.</summary>
    XmlDsig,

    /// <summary>XAdES baseline B-B: SigningTime and SigningCertificateV2 are signed.</summary>
    XadesBaselineB,

    /// <summary>XAdES baseline B-T: B-B plus a verified SignatureTimeStamp.</summary>
    XadesBaselineT,
}
