using System.Text;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Csv;

public class CsvWriterTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("label_app:hive|label_tier:db", "label_app:hive|label_tier:db")]
    [InlineData("trailing space ", "trailing space ")]
    [InlineData("inner space", "inner space")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("carriage\rreturn", "\"carriage\rreturn\"")]
    [InlineData(" leading space", "\" leading space\"")]
    [InlineData("\tleading tab", "\"\tleading tab\"")]
    [InlineData("\u00A0leading nbsp", "\"\u00A0leading nbsp\"")]
    [InlineData("\u3000leading ideographic space", "\"\u3000leading ideographic space\"")]
    [InlineData("\\.", "\"\\.\"")]
    [InlineData("\\.x", "\\.x")]
    [InlineData("café", "café")]
    public void Write_Field_QuotedLikeGoEncodingCsv(string field, string expected)
    {
        var table = new CsvTable(ReportKind.Node, "x.csv", ["a", "b"], [[field, "z"]]);

        Encoding.UTF8.GetString(CsvWriter.ToBytes(table)).ShouldBe($"a,b\n{expected},z\n");
    }

    [Fact]
    public void ToBytes_Table_HeaderThenRowsWithLfAndNoBom()
    {
        var table = new CsvTable(ReportKind.Namespace, "x.csv", ["h1", "h2", "h3"], [["1", "", "é"], ["", "", ""]]);

        var bytes = CsvWriter.ToBytes(table);

        bytes.ShouldBe(Encoding.UTF8.GetBytes("h1,h2,h3\n1,,é\n,,\n"));
        bytes[0].ShouldBe((byte)'h');
    }

    [Fact]
    public void ToBytes_NoRows_WritesOnlyTheHeader() =>
        CsvWriter.ToBytes(new CsvTable(ReportKind.VirtualMachine, "x.csv", ["a", "b"], [])).ShouldBe("a,b\n"u8.ToArray());

    [Fact]
    public void Write_RowWithWrongFieldCount_Throws()
    {
        var table = new CsvTable(ReportKind.Node, "x.csv", ["a", "b"], [["1", "2"], ["1"]]);

        Should.Throw<ArgumentException>(() => CsvWriter.ToBytes(table)).Message.ShouldContain("row 1");
    }

    [Fact]
    public void Write_Stream_LeavesItOpenAndAppends()
    {
        using var stream = new MemoryStream();
        stream.Write("x"u8);

        CsvWriter.Write(new CsvTable(ReportKind.Node, "x.csv", ["a"], [["1"]]), stream);
        stream.WriteByte((byte)'y');

        stream.ToArray().ShouldBe("xa\n1\ny"u8.ToArray());
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("\u2028x", true)] // Unicode line separator is White_Space in Go too
    [InlineData("x\u2028", false)]
    [InlineData("\u200Bx", false)] // zero-width space is not White_Space
    public void NeedsQuotes_LeadingCharacter_FollowsUnicodeWhiteSpace(string field, bool expected) =>
        CsvWriter.NeedsQuotes(field).ShouldBe(expected);
}
