using System.Diagnostics;
using System.Text.Json;
using Brokkr.Templates.Domain.Tera;

namespace Brokkr.Templates.Tests;

/// <summary>
/// The Tera constructs existing templates use, one test each (the table of ADR 0012), rendered by the
/// translation layer over Scriban exactly as Tera renders them.
/// </summary>
public sealed class TeraCompatibilityTests
{
    private const string Parameters = """
        {"name":"web","count":3,"ratio":1.5,"on":true,"off":false,"empty":"","none":null,"zero":0,
         "xs":["a","b","c"],"nums":[1,2,3],"m":{"k":"v","inner":{"deep":42}},"padded":"  hi  ","i":1}
        """;

    private static string Render(string template, string parameters = Parameters)
    {
        using var document = JsonDocument.Parse(parameters);
        return TemplateEngine.Render(TemplateEngine.Compile(template), document.RootElement);
    }

    private static TemplateSyntaxException SyntaxError(string template) => Should.Throw<TemplateSyntaxException>(() => TemplateEngine.Compile(template));

    private static TemplateRenderException RenderError(string template, string parameters = Parameters) => Should.Throw<TemplateRenderException>(() => Render(template, parameters));

    [Fact]
    public void Variable_is_inserted_verbatim()
        => Render("name: {{ name }} <&> {{count}}").ShouldBe("name: web <&> 3");

    [Fact]
    public void Dotted_access_reads_nested_objects()
        => Render("{{ m.k }} {{ m.inner.deep }}").ShouldBe("v 42");

    [Fact]
    public void Indexed_access_reads_arrays_and_objects_by_literal_and_variable()
        => Render("{{ xs[0] }} {{ xs.1 }} {{ m[\"k\"] }} {{ m['inner'][\"deep\"] }} {{ xs[i] }}").ShouldBe("a b v 42 b");

    [Fact]
    public void Default_replaces_only_an_absent_variable_or_key()
        => Render("{{ missing | default(value=\"d\") }} {{ m.nope | default(value=m.k) }} {{ name | default(value=\"x\") }} [{{ none | default(value=\"n\") }}]")
            .ShouldBe("d v web []");

    [Fact]
    public void Upper_lower_and_trim_change_strings()
        => Render("{{ name | upper }} {{ \"ABC\" | lower }} [{{ padded | trim }}]").ShouldBe("WEB abc [hi]");

    [Fact]
    public void Replace_takes_named_from_and_to()
        => Render("{{ \"a-b-c\" | replace(from=\"-\", to=\"_\") }} {{ name | replace(to=\"X\", from=\"e\") }}").ShouldBe("a_b_c wXb");

    [Fact]
    public void Json_encode_writes_compact_json_and_pretty_on_request()
    {
        Render("{{ m | json_encode }}").ShouldBe("""{"k":"v","inner":{"deep":42}}""");
        Render("{{ xs | json_encode(pretty=true) }}").ShouldBe("[\n  \"a\",\n  \"b\",\n  \"c\"\n]");
        Render("{{ \"say 'hi'\" | json_encode }}").ShouldBe("\"say 'hi'\"");
    }

    [Fact]
    public void Length_counts_characters_items_and_keys()
        => Render("{{ name | length }} {{ xs | length }} {{ m | length }} {{ \"é😀\" | length }}").ShouldBe("3 3 2 2");

    [Fact]
    public void Join_takes_a_named_separator()
        => Render("{{ xs | join(sep=\", \") }} {{ nums | join(sep=\"+\") }}").ShouldBe("a, b, c 1+2+3");

    [Fact]
    public void If_elif_else_chooses_the_first_true_branch_with_comparisons()
    {
        const string template = "{% if count > 5 %}big{% elif count >= 3 and name == \"web\" %}mid{% elif count != 0 %}small{% else %}none{% endif %}";
        Render(template).ShouldBe("mid");
        Render(template, """{"count":9,"name":"x"}""").ShouldBe("big");
        Render(template, """{"count":1,"name":"x"}""").ShouldBe("small");
        Render(template, """{"count":0,"name":"x"}""").ShouldBe("none");
    }

    [Fact]
    public void And_or_not_follow_tera_precedence()
    {
        Render("{% if not count == 3 %}a{% else %}b{% endif %}").ShouldBe("b");
        Render("{% if on or off and off %}a{% else %}b{% endif %}").ShouldBe("a");
        Render("{% if (on or off) and off %}a{% else %}b{% endif %}").ShouldBe("b");
        Render("{% if not off and not empty %}a{% endif %}").ShouldBe("a");
    }

    [Fact]
    public void Empty_values_are_falsy_as_in_tera()
        => Render("{% if empty %}1{% endif %}{% if zero %}2{% endif %}{% if none %}3{% endif %}{% if [] %}4{% endif %}{% if xs %}5{% endif %}{% if m %}6{% endif %}")
            .ShouldBe("56");

    [Fact]
    public void For_loop_exposes_loop_index_index0_first_and_last()
        => Render("{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}:{{ x }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% else %},{% endif %}{% endfor %}")
            .ShouldBe("1/0:aF,2/1:b,3/2:cL");

    [Fact]
    public void Nested_loops_see_their_own_loop_variable()
        => Render("{% for a in nums %}{% for b in xs %}{{ loop.index }}{% endfor %}{{ loop.index }};{% endfor %}").ShouldBe("1231;1232;1233;");

    [Fact]
    public void For_over_an_object_gives_key_and_value_in_order()
        => Render("{% for key, value in m %}{{ key }}={{ value | json_encode }};{% endfor %}").ShouldBe("k=\"v\";inner={\"deep\":42};");

    [Fact]
    public void Break_and_continue_control_the_loop()
        => Render("{% for n in nums %}{% if n == 2 %}{% continue %}{% endif %}{% if n == 3 %}{% break %}{% endif %}{{ n }}{% endfor %}").ShouldBe("1");

    [Fact]
    public void Comments_render_nothing()
        => Render("a{# a comment with {{ braces }} and {% tags %} #}b").ShouldBe("ab");

    [Fact]
    public void Whitespace_control_trims_around_statements()
        => Render("items:\n{%- for x in xs %}\n  - {{ x }}\n{%- endfor %}\ndone").ShouldBe("items:\n  - a\n  - b\n  - c\ndone");

    [Fact]
    public void Whitespace_control_trims_around_expressions_and_comments()
        => Render("a   {{- name -}}   b \n {#- c -#} \n c").ShouldBe("awebbc");

    [Fact]
    public void Whitespace_control_trims_on_the_right_of_statements()
        => Render("{% if on -%}\n   yes\n{%- endif %}").ShouldBe("yes");

    [Fact]
    public void Raw_blocks_are_copied_verbatim()
        => Render("{% raw %}{{ not_a_variable }} {% if %}{% endraw %}").ShouldBe("{{ not_a_variable }} {% if %}");

    [Fact]
    public void Set_defines_a_variable_for_the_rest_of_the_scope()
        => Render("{% set greeting = \"hi \" ~ name %}{{ greeting }}{% for x in xs %}{% set y = x | upper %}{{ y }}{% endfor %}").ShouldBe("hi webABC");

    [Fact]
    public void In_and_is_defined_tests_work()
        => Render("{% if \"b\" in xs %}1{% endif %}{% if \"k\" in m %}2{% endif %}{% if \"eb\" in name %}3{% endif %}{% if \"z\" not in xs %}4{% endif %}"
                  + "{% if missing is defined %}5{% endif %}{% if m.k is defined %}6{% endif %}{% if missing is not defined %}7{% endif %}{% if count is odd %}8{% endif %}")
            .ShouldBe("123467" + "8");

    [Fact]
    public void Arithmetic_and_concatenation_follow_tera()
        => Render("{{ count + 2 }} {{ count * 2 }} {{ count - 5 }} {{ 7 / 2 }} {{ 6 / 2 }} {{ 7 % 4 }} {{ ratio * 2 }} {{ -count }} {{ name ~ \"-\" ~ count }}")
            .ShouldBe("5 6 -2 3.5 3 3 3.0 -3 web-3");

    [Fact]
    public void Literals_render_as_tera_prints_them()
        => Render("{{ true }} {{ 1.0 }} {{ 2.25 }} {{ [1, \"a\"] }} {{ none }}|{{ on }}").ShouldBe("true 1.0 2.25 [1,\"a\"] |true");

    [Fact]
    public void Other_common_filters_work()
        => Render("{{ xs | first }}{{ xs | last }} {{ nums | reverse | join(sep=\"\") }} {{ \"hello\" | capitalize }} {{ \"42\" | int + 1 }} {{ count | as_str | length }} {{ \"a\nb\" | indent(prefix=\"  \") }} {{ name | safe }}")
            .ShouldBe("ac 321 Hello 43 1 a\n  b web");

    [Fact]
    public void Range_function_produces_numbers()
        => Render("{% for i in range(end=3) %}{{ i }}{% endfor %} {% for i in range(start=2, end=10, step_by=3) %}{{ i }}{% endfor %}").ShouldBe("012 258");

    [Fact]
    public void String_literals_may_contain_tag_delimiters()
        => Render("{{ \"}}\" }}{{ '%}' }}{{ `{{` }}").ShouldBe("}}%}{{");

    [Fact]
    public void Parameters_that_are_not_an_object_give_an_empty_context()
    {
        Render("static", "[1,2]").ShouldBe("static");
        RenderError("{{ x }}", "5").Message.ShouldContain("`x`");
    }

    [Fact]
    public void Missing_variables_and_keys_fail_the_render()
    {
        RenderError("{{ missing }}").Message.ShouldContain("`missing`");
        RenderError("{{ m.nope }}").Message.ShouldContain("`m.nope`");
        RenderError("{{ xs[10] }}").Message.ShouldContain("10");
    }

    [Fact]
    public void Type_errors_fail_the_render()
    {
        RenderError("{{ name | upper | length + xs }}");
        RenderError("{{ count | upper }}");
        RenderError("{% for x in count %}{% endfor %}");
        RenderError("{{ count / zero }}");
        RenderError("{{ throw(message=\"stop here\") }}").Message.ShouldBe("stop here");
    }

    [Fact]
    public void Scriban_builtins_are_unreachable_from_a_template()
    {
        RenderError("{{ date.now }}").Message.ShouldContain("`date`");
        RenderError("{{ string }}").Message.ShouldContain("`string`");
        RenderError("{{ for }}").Message.ShouldContain("`for`");
        SyntaxError("{{ include(name=\"x\") }}").Message.ShouldContain("Unknown function");
    }

    [Theory]
    [InlineData("{{ name ", "Unclosed tag")]
    [InlineData("{{ }}", "Empty expression")]
    [InlineData("{% if on %}x", "without `{% endif %}`")]
    [InlineData("{% endif %}", "without an opening tag")]
    [InlineData("{% for x in xs %}{% endif %}", "Unexpected `{% endif %}`")]
    [InlineData("{{ name | nope }}", "Unknown filter `nope`")]
    [InlineData("{{ xs | join(\", \") }}", "argument name")]
    [InlineData("{{ name | replace(from=\"a\") }}", "requires the argument `to`")]
    [InlineData("{{ name | upper(x=1) }}", "has no argument `x`")]
    [InlineData("{% include \"other\" %}", "not supported")]
    [InlineData("{% macro m() %}{% endmacro %}", "not supported")]
    [InlineData("{% whatever %}", "Unknown tag")]
    [InlineData("{# never closed", "Unclosed comment")]
    [InlineData("{{ \"open }}", "Unclosed string")]
    [InlineData("{{ a b }}", "Unexpected `b`")]
    [InlineData("{% break %}", "inside a for loop")]
    [InlineData("{{ name | upper( }}", "Expected")]
    [InlineData("{% raw %} no end", "endraw")]
    [InlineData("{{ a ? b }}", "Unexpected character")]
    public void Syntax_errors_are_reported_at_compile_time(string template, string message)
        => SyntaxError(template).Message.ShouldContain(message);

    [Fact]
    public void Syntax_errors_carry_line_and_column()
    {
        var error = SyntaxError("line one\nline two {{ name | nope }}");

        error.Line.ShouldBe(2);
        error.Column.ShouldBe(20);
    }

    [Fact]
    public void Deeply_nested_expressions_and_blocks_are_refused_without_exhausting_the_stack()
    {
        SyntaxError("{{ " + new string('(', 10_000) + "1" + new string(')', 10_000) + " }}").Message.ShouldContain("nested deeper");
        SyntaxError("{{ " + string.Concat(Enumerable.Repeat("not ", 10_000)) + "on }}").Message.ShouldContain("nested deeper");
        SyntaxError(string.Concat(Enumerable.Repeat("{% if on %}", 1_000)) + string.Concat(Enumerable.Repeat("{% endif %}", 1_000))).Message.ShouldContain("nested deeper");
    }

    [Fact]
    public void Loops_that_would_run_for_minutes_stop_at_the_time_limit()
    {
        var watch = Stopwatch.StartNew();
        var error = RenderError("{% set s = \"xxxxxxxxxxxxxxxx\" %}{% for i in range(end=16) %}{% set_global s = s ~ s %}{% endfor %}"
            + "{% for i in range(end=99999) %}{% set t = s | replace(from=\"x\", to=\"y\") %}{% endfor %}");

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        error.Message.ShouldContain("longer than");
    }

    [Fact]
    public void Output_beyond_the_limit_fails_the_render()
    {
        var error = RenderError("{% for a in range(end=99999) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}");

        error.Message.ShouldContain("exceeds");
    }

    [Fact]
    public void Output_below_the_limit_is_rendered_whole()
        => Render("{% for a in range(end=40000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n{% endfor %}").Length.ShouldBe(40000 * 41);

    [Fact]
    public void Doubling_a_string_stops_at_the_limit_instead_of_exhausting_memory()
        => RenderError("{% set s = \"xxxxxxxxxxxxxxxx\" %}{% for i in range(end=64) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}").Message.ShouldContain("limit");

    [Fact]
    public void Nested_loops_beyond_the_iteration_limit_fail_the_render()
        => RenderError("{% for a in range(end=1000) %}{% for b in range(end=1000) %}{% endfor %}{% endfor %}").Message.ShouldContain("limit");

    [Fact]
    public void Ranges_are_bounded()
        => RenderError("{% for i in range(end=1000000000) %}{% endfor %}").Message.ShouldContain("range");
}
