namespace Reviews.Store;

/// <summary>One staff action in the audit trail.</summary>
public sealed record AuditRecord(long Id, DateTime At, string Actor, string Action, long? ReviewId, string? StateBefore,
    string? StateAfter, string? Detail);
