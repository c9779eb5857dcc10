using Pec.Signing.Receipts;

namespace Pec.Signing.Tests.Support;

public static class SampleReceipts
{
    public const string Sender = "ministere-a.gouv.fr";

    public const string PayloadSha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public static ReceiptDocument Create(ReceiptKind kind = ReceiptKind.Delivery) => new(
        ReceiptId: Guid.Parse("0b6f3c8e-4d1a-4c5e-9a7b-2f1e8d3c6a50"),
        Kind: kind,
        FlowId: Guid.Parse("5a2d7e91-8c34-4f0b-b6d2-93e1a7c4f815"),
        FlowType: "marche-public/avis",
        Sender: Sender,
        Recipients: ["prefecture-69.interieur.gouv.fr", "drfip-69.dgfip.finances.gouv.fr"],
        Payload: new PayloadDescription(PayloadSha256, 1_048_576, "application/pdf"),
        // Not UTC on purpose: the receipt must carry the same instant in UTC.
        EventTime: new DateTimeOffset(2025, 3, 14, 10, 15, 30, 123, TimeSpan.FromHours(1)),
        IssuedAt: new DateTimeOffset(2025, 3, 14, 9, 15, 31, 7, TimeSpan.Zero),
        Reason: kind == ReceiptKind.NonDelivery ? "Recipient mailbox closed" : null,
        Reply: kind == ReceiptKind.Acknowledgement
            ? new PayloadDescription("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", 42, "application/xml")
            : null);
}
