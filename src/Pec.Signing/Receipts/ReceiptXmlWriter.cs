using System.Xml;

namespace Pec.Signing.Receipts;

/// <summary>Writes the unsigned receipt body. XmlWriter does the escaping and refuses characters XML cannot carry.</summary>
internal static class ReceiptXmlWriter
{
    /// <summary>Checks what XmlWriter cannot: required values and formats.</summary>
    /// <exception cref="ArgumentException">A value is missing or malformed.</exception>
    public static void Validate(ReceiptDocument receipt)
    {
        var problem = FindProblem(receipt);
        if (problem is not null)
        {
            throw new ArgumentException($"The receipt cannot be signed: {problem}", nameof(receipt));
        }
    }

    public static void Write(XmlWriter writer, ReceiptDocument receipt, SealCertificateInfo seal)
    {
        writer.WriteStartElement(ReceiptXml.Receipt, ReceiptXml.Namespace);
        writer.WriteAttributeString(ReceiptXml.VersionAttribute, ReceiptXml.Version);

        Element(writer, ReceiptXml.ReceiptId, ReceiptXml.FormatGuid(receipt.ReceiptId));
        Element(writer, ReceiptXml.Kind, receipt.Kind.ToWireName());
        Element(writer, ReceiptXml.FlowId, ReceiptXml.FormatGuid(receipt.FlowId));
        Element(writer, ReceiptXml.FlowType, receipt.FlowType);
        Element(writer, ReceiptXml.Sender, receipt.Sender);

        writer.WriteStartElement(ReceiptXml.Recipients, ReceiptXml.Namespace);
        foreach (var recipient in receipt.Recipients)
        {
            Element(writer, ReceiptXml.Recipient, recipient);
        }

        writer.WriteEndElement();

        WritePayload(writer, ReceiptXml.Payload, receipt.Payload);
        Element(writer, ReceiptXml.EventTime, ReceiptXml.FormatTime(receipt.EventTime));
        Element(writer, ReceiptXml.IssuedAt, ReceiptXml.FormatTime(receipt.IssuedAt));
        if (receipt.Reason is not null)
        {
            Element(writer, ReceiptXml.Reason, receipt.Reason);
        }

        if (receipt.Reply is not null)
        {
            WritePayload(writer, ReceiptXml.Reply, receipt.Reply);
        }

        if (receipt.PayloadSignature is { } signature)
        {
            writer.WriteStartElement(ReceiptXml.PayloadSignature, ReceiptXml.Namespace);
            Element(writer, ReceiptXml.Level, signature.Level);
            Element(writer, ReceiptXml.Subject, signature.Subject);
            Element(writer, ReceiptXml.Issuer, signature.Issuer);
            Element(writer, ReceiptXml.SerialNumber, signature.SerialNumber);
            Element(writer, ReceiptXml.Sha256, signature.Sha256);
            Element(writer, ReceiptXml.SignatureMethod, signature.SignatureMethod);
            if (signature.SigningTime is { } signingTime)
            {
                Element(writer, ReceiptXml.SigningTime, ReceiptXml.FormatTime(signingTime));
            }

            writer.WriteEndElement();
        }

        writer.WriteStartElement(ReceiptXml.SealCertificate, ReceiptXml.Namespace);
        Element(writer, ReceiptXml.Subject, seal.Subject);
        Element(writer, ReceiptXml.Issuer, seal.Issuer);
        Element(writer, ReceiptXml.SerialNumber, seal.SerialNumber);
        Element(writer, ReceiptXml.Sha256, seal.Sha256);
        writer.WriteEndElement();

        writer.WriteEndElement();
    }

    private static void WritePayload(XmlWriter writer, string name, PayloadDescription payload)
    {
        writer.WriteStartElement(name, ReceiptXml.Namespace);
        Element(writer, ReceiptXml.Sha256, ReceiptXml.NormalizeSha256Hex(payload.Sha256Hex)!);
        Element(writer, ReceiptXml.Size, ReceiptXml.FormatSize(payload.Size));
        Element(writer, ReceiptXml.MediaType, payload.MediaType);
        writer.WriteEndElement();
    }

    private static void Element(XmlWriter writer, string name, string value) =>
        writer.WriteElementString(name, ReceiptXml.Namespace, ReceiptXml.NormalizeLineBreaks(value));

    private static string? FindProblem(ReceiptDocument receipt)
    {
        if (!Enum.IsDefined(receipt.Kind))
        {
            return $"unknown receipt kind {receipt.Kind}.";
        }

        if (receipt.Recipients is null)
        {
            return "Recipients is required.";
        }

        return MissingText(receipt.FlowType, nameof(ReceiptDocument.FlowType))
            ?? MissingText(receipt.Sender, nameof(ReceiptDocument.Sender))
            ?? receipt.Recipients.Select(r => MissingText(r, "each recipient")).FirstOrDefault(p => p is not null)
            ?? PayloadProblem(receipt.Payload, nameof(ReceiptDocument.Payload))
            ?? (receipt.Reply is null ? null : PayloadProblem(receipt.Reply, nameof(ReceiptDocument.Reply)))
            ?? (receipt.PayloadSignature is null ? null : SignatureProblem(receipt.PayloadSignature));
    }

    private static string? PayloadProblem(PayloadDescription? payload, string name)
    {
        if (payload is null)
        {
            return $"{name} is required.";
        }

        if (ReceiptXml.NormalizeSha256Hex(payload.Sha256Hex) is null)
        {
            return $"{name}.Sha256Hex must be 64 hexadecimal digits.";
        }

        if (payload.Size < 0)
        {
            return $"{name}.Size must not be negative.";
        }

        return MissingText(payload.MediaType, $"{name}.MediaType");
    }

    private static string? SignatureProblem(PayloadSignature signature) =>
        MissingText(signature.Level, "PayloadSignature.Level")
        ?? MissingText(signature.Subject, "PayloadSignature.Subject")
        ?? MissingText(signature.Issuer, "PayloadSignature.Issuer")
        ?? MissingText(signature.SerialNumber, "PayloadSignature.SerialNumber")
        ?? MissingText(signature.Sha256, "PayloadSignature.Sha256")
        ?? MissingText(signature.SignatureMethod, "PayloadSignature.SignatureMethod");

    private static string? MissingText(string? value, string name) =>
        string.IsNullOrEmpty(value) ? $"{name} is required and must not be empty." : null;
}
