namespace Reviews.Store;

/// <summary>A write found no room in time: as many writes as may hold connections at once already do.</summary>
public sealed class DatabaseBusyException(string message) : Exception(message);
