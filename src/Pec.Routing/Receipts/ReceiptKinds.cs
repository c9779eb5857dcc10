using Pec.Signing.Receipts;

namespace Pec.Routing.Receipts;

internal static class ReceiptKinds
{
    public static string ToWireName(ReceiptKind kind) => kind switch
    {
        ReceiptKind.Deposit => "deposit",
        ReceiptKind.Delivery => "delivery",
        ReceiptKind.Acknowledgement => "acknowledgement",
        ReceiptKind.NonDelivery => "non-delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown receipt kind."),
    };
}
