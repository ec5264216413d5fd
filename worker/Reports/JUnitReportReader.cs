using System.Globalization;
using System.Xml;

namespace BuildFarm.Worker.Reports;

/// <summary>
/// Counts the test cases of one JUnit XML file (<c>testsuites</c> or a lone <c>testsuite</c>, as
/// Gradle, Maven Surefire, pytest and Jest write them). A case with a <c>failure</c> child failed,
/// with <c>error</c> errored, with <c>skipped</c> was skipped; any other case passed.
/// </summary>
public static class JUnitReportReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        // Report files come from the build: no DTDs, so no entity expansion and no external fetches.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        Async = true,
    };

    /// <exception cref="XmlException">The file is not well-formed XML, or not JUnit.</exception>
    public static async Task<JUnitCounts> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        using var reader = XmlReader.Create(content, Settings);
        var counts = new JUnitCounts();
        var sawRoot = false;
        var inCase = false;
        var caseOutcome = CaseOutcome.Passed;
        while (await reader.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (reader.NodeType == XmlNodeType.Element && !sawRoot)
            {
                sawRoot = true;
                if (reader.LocalName is not ("testsuites" or "testsuite"))
                {
                    throw new XmlException($"the root element is <{reader.LocalName}>, not <testsuites> or <testsuite>");
                }
            }

            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "testcase")
            {
                counts.DurationSeconds += double.TryParse(reader.GetAttribute("time"), NumberStyles.Float, CultureInfo.InvariantCulture, out var time) ? time : 0;
                if (reader.IsEmptyElement)
                {
                    counts.Add(CaseOutcome.Passed);
                }
                else
                {
                    (inCase, caseOutcome) = (true, CaseOutcome.Passed);
                }
            }
            else if (inCase && reader.NodeType == XmlNodeType.Element && reader.Depth > 0)
            {
                // The worst outcome wins when a case carries several (a failure and an error, say).
                caseOutcome = reader.LocalName switch
                {
                    "error" => CaseOutcome.Errored,
                    "failure" when caseOutcome != CaseOutcome.Errored => CaseOutcome.Failed,
                    "skipped" when caseOutcome == CaseOutcome.Passed => CaseOutcome.Skipped,
                    _ => caseOutcome,
                };
            }
            else if (inCase && reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "testcase")
            {
                counts.Add(caseOutcome);
                inCase = false;
            }
        }

        return sawRoot ? counts : throw new XmlException("the file has no root element");
    }
}
