using Npgsql;
using NpgsqlTypes;
using nietras.SeparatedValues;

namespace Reviews.Importer;

public readonly record struct CharacteristicRow(long Id, long ProductId, string Name);
