namespace Reviews.Writing;

/// <summary>How a POST of a new review ended.</summary>
public enum AddStatus
{
    /// <summary>The review was written.</summary>
    Created,

    /// <summary>The same body came again under the same idempotency key: the review written the first time.</summary>
    Replayed,

    /// <summary>The idempotency key was used for another body; nothing written.</summary>
    KeyUsedForAnotherBody,

    /// <summary>The body is not JSON; nothing written.</summary>
    Malformed,

    /// <summary>The body breaks a field's rule (see the errors); nothing written.</summary>
    Invalid,
}
