namespace Pec.Signing.Receipts;

/// <summary>The event a receipt attests. Wire names are given by <see cref="ReceiptKindNames"/>.</summary>
public enum ReceiptKind
{
    /// <summary>The flow was deposited on PEC (<c>deposit</c>).</summary>
    Deposit,

    /// <summary>The flow was delivered to its recipients (<c>delivery</c>).</summary>
    Delivery,

    /// <summary>A recipient acknowledged the flow (<c>acknowledgement</c>).</summary>
    Acknowledgement,

    /// <summary>The flow could not be delivered (<c>non-delivery</c>).</summary>
    NonDelivery,
}
