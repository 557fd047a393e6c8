using Brokkr.Shared.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Brokkr.Shared.Errors;
using Brokkr.Stacks.Data;
using Brokkr.Stacks.Domain;
using Brokkr.Stacks.Features;

namespace Brokkr.Stacks.Tests.Unit;

public sealed class ChecksumTests
{
    [Fact]
    public void Revision_checksum_is_lowercase_sha256_of_the_utf8_text()
        => Checksum.Of("a: ü\n").ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("a: ü\n"))));

    [Fact]
    public void Deletion_marker_checksum_is_md5_of_the_empty_string_as_the_reference_trigger_writes()
        => Checksum.DeletionMarker.ShouldBe(Convert.ToHexStringLower(MD5.HashData([])));
}

public sealed class LabelTests
{
    [Theory]
    [InlineData("env:prod")]
    [InlineData("app.kubernetes.io/name")]
    [InlineData("ünïcödé")]
    public void Valid_labels_pass(string label) => Should.NotThrow(() => Labels.Validate(label));

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a\nb")]
    [InlineData("a\u2028b")]
    [InlineData("a\u0085b")]
    [InlineData("a\u0000b")]
    [InlineData("a\\ud800")]
    public void Invalid_labels_fail(string label)
        => Should.Throw<ApiException>(() => Labels.Validate(Regex.Unescape(label))).Code.ShouldBe("invalid_label");

    [Fact]
    public void Label_limit_counts_utf8_bytes()
    {
        Should.NotThrow(() => Labels.Validate(new string('€', 21)));
        Should.Throw<ApiException>(() => Labels.Validate(new string('€', 22)));
    }
}

public sealed class AnnotationTests
{
    [Fact]
    public void Annotations_count_characters_not_utf16_units()
    {
        Should.NotThrow(() => Annotations.Validate(string.Concat(Enumerable.Repeat("😀", 64)), ""));
        Should.Throw<ApiException>(() => Annotations.Validate(string.Concat(Enumerable.Repeat("😀", 65)), "")).Code.ShouldBe("invalid_annotation");
        Should.Throw<ApiException>(() => Annotations.Validate("k", new string('v', 65))).Code.ShouldBe("invalid_annotation");
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("with space", "and\ttab")]
    public void Anything_else_is_accepted(string key, string value) => Should.NotThrow(() => Annotations.Validate(key, value));
}

public sealed class MediaTypeTests
{
    [Theory]
    [InlineData("application/yaml", true)]
    [InlineData(" text/yaml ; charset=utf-8", true)]
    [InlineData("APPLICATION/X-YAML", true)]
    [InlineData("application/yamlx", false)]
    [InlineData("application/json", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Content_type_is_yaml_only_for_the_three_types(string? contentType, bool yaml) => MediaTypes.IsYaml(contentType).ShouldBe(yaml);

    [Theory]
    [InlineData(new[] { "application/json, text/yaml;q=0.5" }, true)]
    [InlineData(new[] { "application/json", "application/x-yaml" }, true)]
    [InlineData(new[] { "*/*" }, false)]
    [InlineData(new[] { "application/*" }, false)]
    [InlineData(new string[0], false)]
    public void Accept_is_yaml_when_any_part_is(string[] headers, bool yaml) => MediaTypes.AcceptsYaml(headers).ShouldBe(yaml);
}

public sealed class EntityTagTests
{
    [Fact]
    public void If_none_match_lists_are_unquoted_weak_tags_count_and_garbage_is_ignored()
        => EntityTags.ParseIfNoneMatch(["\"a\", W/\"b\"", " \"c\" ,unquoted,,\"", "*"]).ShouldBe(["a", "b", "c", "*"]);

    [Fact]
    public void Star_matches_anything_and_otherwise_the_tag_must_be_listed()
    {
        EntityTags.Matches(["*"], "x").ShouldBeTrue();
        EntityTags.Matches(["y", "x"], "x").ShouldBeTrue();
        EntityTags.Matches(["y"], "x").ShouldBeFalse();
        EntityTags.Matches([], "x").ShouldBeFalse();
    }

    [Fact]
    public void Tag_scope_separates_agents_modes_and_cursors()
    {
        var agent = Guid.Parse("0192a5b0-0000-7000-8000-000000000001");
        new TargetStateRequest(agent, false, null, []).Scope.ShouldBe("0192a5b0-0000-7000-8000-000000000001|incremental|-");
        new TargetStateRequest(agent, true, 0, []).Scope.ShouldBe("0192a5b0-0000-7000-8000-000000000001|full|0");
    }

    [Theory]
    [InlineData("full", true)]
    [InlineData("FULL", false)]
    [InlineData("incremental", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_exactly_full_is_full_mode(string? mode, bool full) => GetTargetState.IsFull(mode).ShouldBe(full);
}

public sealed class YamlDocumentTests
{
    [Theory]
    [InlineData("a: b")]
    [InlineData("---\n~\n---\nkind: X\n")]
    [InlineData("plain scalar")]
    [InlineData("\"\"")]
    [InlineData("- 1\n- 2\n")]
    [InlineData("&x a: *x")]
    public void Documents_with_content_are_valid(string yaml) => YamlDocuments.Problem(yaml).ShouldBeNull();

    [Theory]
    [InlineData("")]
    [InlineData("# comment")]
    [InlineData("~")]
    [InlineData("null\n---\nNULL")]
    [InlineData("---\n---\n")]
    [InlineData("a: [")]
    [InlineData("*undefined")]
    public void Empty_null_or_broken_yaml_has_a_problem(string yaml) => YamlDocuments.Problem(yaml).ShouldNotBeNull();

    [Fact]
    public void Nesting_is_capped()
    {
        YamlDocuments.Problem(new string('[', YamlDocuments.MaxDepth) + new string(']', YamlDocuments.MaxDepth)).ShouldBeNull();
        YamlDocuments.Problem(new string('[', YamlDocuments.MaxDepth + 1) + new string(']', YamlDocuments.MaxDepth + 1)).ShouldNotBeNull();
    }
}

public sealed class StackFieldTests
{
    [Fact]
    public void Names_are_1_to_255_characters_of_storable_text()
    {
        StackFields.NameProblem("ok").ShouldBeNull();
        StackFields.NameProblem(string.Concat(Enumerable.Repeat("😀", 255))).ShouldBeNull();
        StackFields.NameProblem(new string('x', 256)).ShouldNotBeNull();
        StackFields.NameProblem(" ").ShouldNotBeNull();
        StackFields.NameProblem("a\0").ShouldNotBeNull();
        StackFields.DescriptionProblem(null).ShouldBeNull();
        StackFields.DescriptionProblem(new string('d', 4097)).ShouldNotBeNull();
    }
}
