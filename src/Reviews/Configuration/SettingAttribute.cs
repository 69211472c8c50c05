namespace Reviews.Configuration;

/// <summary>What a setting of an options class does, said once: `reviews --help` and the README's table read it.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string description) : Attribute
{
    public string Description { get; } = description;

    /// <summary>The command-line flag that sets it, if one does.</summary>
    public string? Flag { get; init; }

    /// <summary>The default in words, where the property's initial value does not tell it (computed, or unset).</summary>
    public string? Default { get; init; }
}
