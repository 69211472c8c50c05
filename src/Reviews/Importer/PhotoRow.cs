using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;

namespace Reviews.Importer;

public readonly record struct PhotoRow(long Id, long ReviewId, TextSlice Url);
