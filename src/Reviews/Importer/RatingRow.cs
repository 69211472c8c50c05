using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;

namespace Reviews.Importer;

public readonly record struct RatingRow(long Id, long CharacteristicId, long ReviewId, short Value);
