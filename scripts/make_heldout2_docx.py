"""Write the two Word files of the second held-out set (issue 29): tests/corpus/heldout2/word-*.docx.

Real OOXML written by hand with the standard library (zipfile), the way Word saves it:
``[Content_Types].xml``, ``_rels/.rels``, ``docProps/core.xml`` and ``app.xml``,
``word/document.xml``, ``styles.xml``, ``numbering.xml``, ``footnotes.xml``,
``header1.xml``, ``footer1.xml``, ``settings.xml``, ``word/_rels/document.xml.rels`` and a
picture under ``word/media/``. The zip entries carry a fixed date, so running the script
again gives the same bytes.

The files are frozen: the held-out set measures the cleaner on them as committed. Run
``python scripts/make_heldout2_docx.py`` only to recreate them after a deliberate change
to the cases (and rewrite their ``.expected`` from the article, never from a cleaner).

What each file holds, on purpose:

* ``word-report-battery-recycling.docx`` — a research report: Title and Heading 1/2
  styles, a numbered and a bulleted list (numbering.xml), a table with a header row and
  its ``表1：`` title above it, one footnote, a picture (named ``图片 1`` by Word, no
  description) followed by a Caption-style paragraph ``图1：…``, a header with the
  institute's name and a footer with a PAGE field; docProps/core.xml keeps the template's
  title and ``Administrator`` as creator (the byline paragraph names the real authors).
* ``word-interview-drone-logistics.docx`` — a newspaper interview: the headline is a bold,
  large, centred paragraph with no heading style, a ``文／本报记者`` byline paragraph and a
  date paragraph, a lead, ``记者：`` questions in bold, answers with the speaker's name in
  bold (one from a second speaker), ``责任编辑：`` at the end; core.xml says ``Windows 用户``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "heldout2"
STAMP = (2025, 1, 1, 0, 0, 0)

W_NS = ('xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:w10="urn:schemas-microsoft-com:office:word" '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'mc:Ignorable="w14"')
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
FONTS = '<w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman"/>'


# --- runs and paragraphs --------------------------------------------------------------

def run(text: str, bold: bool = False, size: int | None = None, footnote: int | None = None) -> str:
    """One ``<w:r>``: text, or a footnote reference when ``footnote`` is given."""
    props = []
    if bold:
        props.append("<w:b/><w:bCs/>")
    if size:
        props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    if footnote is not None:
        return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{footnote}"/></w:r>')
    rpr = f"<w:rPr>{''.join(props)}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None, num: tuple[int, int] | None = None, center: bool = False,
         rsid: str = "00A41C2E") -> str:
    """One ``<w:p>`` with its style, list numbering and alignment."""
    ppr = []
    if style:
        ppr.append(f'<w:pStyle w:val="{style}"/>')
    if num:
        ppr.append(f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>')
    if center:
        ppr.append('<w:jc w:val="center"/>')
    body = "".join(r if r.startswith("<w:") else run(r) for r in runs)
    ppr_xml = f"<w:pPr>{''.join(ppr)}</w:pPr>" if ppr else ""
    return f'<w:p w:rsidR="{rsid}" w:rsidRDefault="{rsid}">{ppr_xml}{body}</w:p>'


def table(rows: list[list[str]], widths: list[int]) -> str:
    """A table with a header row (repeated on each page, bold) and single borders."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
           f'<w:jc w:val="center"/><w:tblBorders>{border}</w:tblBorders>'
           f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
           f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for i, row in enumerate(rows):
        trpr = "<w:trPr><w:tblHeader/></w:trPr>" if i == 0 else ""
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
                        f'{para(run(text, bold=i == 0), center=True)}</w:tc>' for text, w in zip(row, widths))
        out.append(f"<w:tr>{trpr}{cells}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def picture(rid: str, name: str, descr: str, cx: int, cy: int) -> str:
    """An inline picture run, as Word writes one (``wp:inline`` with a ``pic:pic``)."""
    return (f'<w:r><w:rPr><w:noProof/></w:rPr><w:drawing>'
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="1" name="{escape(name)}" descr="{escape(descr)}"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            f'noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            f'<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="0" name="{escape(name)}" descr="{escape(descr)}"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            f'</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


def page_field() -> str:
    """A complex PAGE field whose cached result is 1."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE   \\* MERGEFORMAT </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def png(width: int, height: int) -> bytes:
    """A small PNG: grey boxes joined by a line, standing for a chart."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            box = (10 <= y < height - 10) and any(a <= x < a + 40 for a in (10, 80, 150))
            line = abs(y - height // 2) <= 1
            v = 120 if box else (60 if line else 255)
            row += bytes([v, v, v])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


# --- the package parts ---------------------------------------------------------------

def document(body: str, header: bool) -> str:
    sect = ('<w:sectPr w:rsidR="00A41C2E">'
            + ('<w:headerReference w:type="default" r:id="rId8"/><w:footerReference w:type="default" r:id="rId9"/>'
               if header else "")
            + '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" '
              'w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/>'
              '<w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>')
    return f"{XML}<w:document {W_NS}><w:body>{body}{sect}</w:body></w:document>"


def styles() -> str:
    def pstyle(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", extra: str = "") -> str:
        return (f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="{based}"/><w:next w:val="Normal"/>{extra}<w:qFormat/>'
                f'<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')

    return (f"{XML}<w:styles {W_NS}>"
            f'<w:docDefaults><w:rPrDefault><w:rPr>{FONTS}<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
            '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
            '<w:pPr><w:spacing w:line="360" w:lineRule="auto"/><w:ind w:firstLineChars="200" w:firstLine="420"/></w:pPr>'
            '</w:style>'
            + pstyle("Title", "Title", '<w:spacing w:before="240" w:after="60"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
                     '<w:b/><w:bCs/><w:sz w:val="36"/><w:szCs w:val="32"/>')
            + pstyle("Heading1", "heading 1", '<w:keepNext/><w:spacing w:before="340" w:after="330"/><w:ind w:firstLine="0"/>'
                     '<w:outlineLvl w:val="0"/>', '<w:b/><w:bCs/><w:kern w:val="44"/><w:sz w:val="32"/>')
            + pstyle("Heading2", "heading 2", '<w:keepNext/><w:spacing w:before="260" w:after="260"/><w:ind w:firstLine="0"/>'
                     '<w:outlineLvl w:val="1"/>', '<w:b/><w:bCs/><w:sz w:val="28"/>')
            + pstyle("Caption", "caption", '<w:jc w:val="center"/><w:ind w:firstLine="0"/>', '<w:sz w:val="20"/>')
            + pstyle("ListParagraph", "List Paragraph", '<w:ind w:firstLineChars="0" w:firstLine="0" w:left="420"/>')
            + pstyle("FootnoteText", "footnote text", '<w:snapToGrid w:val="0"/><w:jc w:val="left"/><w:ind w:firstLine="0"/>',
                     '<w:sz w:val="18"/>')
            + pstyle("Header", "header", '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'
                     '<w:jc w:val="center"/><w:ind w:firstLine="0"/>', '<w:sz w:val="18"/>')
            + pstyle("Footer", "footer", '<w:jc w:val="center"/><w:ind w:firstLine="0"/>', '<w:sz w:val="18"/>')
            + '<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
              '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
              '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
              '<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
              '</w:tblBorders></w:tblPr></w:style>'
            + "</w:styles>")


def numbering() -> str:
    """numId 1: decimal ``1.``; numId 2: bullets."""
    def level(fmt: str, text: str, font: str = "") -> str:
        rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
        return (f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="840" w:hanging="420"/></w:pPr>{rpr}</w:lvl>')

    return (f"{XML}<w:numbering {W_NS}>"
            f'<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>{level("decimal", "%1.")}</w:abstractNum>'
            f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="hybridMultilevel"/>{level("bullet", "", "Wingdings")}</w:abstractNum>'
            '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
            "</w:numbering>")


def footnotes(notes: list[str]) -> str:
    out = [f"{XML}<w:footnotes {W_NS}>",
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>']
    for i, text in enumerate(notes, 1):
        out.append(f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                   f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                   f'{run(" " + text)}</w:p></w:footnote>')
    out.append("</w:footnotes>")
    return "".join(out)


def header_part(kind: str, body: str) -> str:
    return f"{XML}<w:{kind} {W_NS}>{body}</w:{kind}>"


def settings() -> str:
    return (f"{XML}<w:settings {W_NS}><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>"
            '<w:drawingGridVerticalSpacing w:val="156"/><w:characterSpacingControl w:val="compressPunctuation"/>'
            '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            '<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>'
            '<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>'
            '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
            '</w:compat><w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>')


def core(title: str, creator: str, modified_by: str, created: str, modified: str) -> str:
    return (f'{XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:subject></dc:subject><dc:creator>{escape(creator)}</dc:creator>"
            f"<cp:keywords></cp:keywords><dc:description></dc:description><cp:lastModifiedBy>{escape(modified_by)}</cp:lastModifiedBy>"
            f'<cp:revision>7</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified></cp:coreProperties>')


def app(pages: int, words: int) -> str:
    return (f'{XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Template>Normal.dotm</Template><TotalTime>186</TotalTime><Pages>{pages}</Pages><Words>{words}</Words>"
            "<Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><Lines>30</Lines>"
            "<Paragraphs>8</Paragraphs><ScaleCrop>false</ScaleCrop><Company></Company><LinksUpToDate>false</LinksUpToDate>"
            "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion>"
            "</Properties>")


def content_types(header: bool, image: bool) -> str:
    over = [("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
            ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
            ("/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"),
            ("/word/numbering.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"),
            ("/word/footnotes.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"),
            ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml")]
    if header:
        over += [("/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"),
                 ("/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml")]
    defaults = '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' \
               '<Default Extension="xml" ContentType="application/xml"/>'
    if image:
        defaults += '<Default Extension="png" ContentType="image/png"/>'
    return (f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">{defaults}'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in over) + "</Types>")


def package_rels() -> str:
    base = "http://schemas.openxmlformats.org"
    return (f'{XML}<Relationships xmlns="{base}/package/2006/relationships">'
            f'<Relationship Id="rId3" Type="{base}/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            f'<Relationship Id="rId2" Type="{base}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId1" Type="{base}/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>")


def document_rels(header: bool, image: bool) -> str:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = [f'{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
           f'<Relationship Id="rId1" Type="{rel}/numbering" Target="numbering.xml"/>',
           f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>',
           f'<Relationship Id="rId3" Type="{rel}/settings" Target="settings.xml"/>',
           f'<Relationship Id="rId4" Type="{rel}/footnotes" Target="footnotes.xml"/>']
    if image:
        out.append(f'<Relationship Id="rId7" Type="{rel}/image" Target="media/image1.png"/>')
    if header:
        out += [f'<Relationship Id="rId8" Type="{rel}/header" Target="header1.xml"/>',
                f'<Relationship Id="rId9" Type="{rel}/footer" Target="footer1.xml"/>']
    out.append("</Relationships>")
    return "".join(out)


def write(path: Path, parts: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def package(body: str, notes: list[str], header: str | None, footer: str | None, image: bytes | None,
            props: str, pages: int, words: int) -> dict[str, str | bytes]:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(header is not None, image is not None),
        "_rels/.rels": package_rels(),
        "docProps/core.xml": props,
        "docProps/app.xml": app(pages, words),
        "word/document.xml": document(body, header is not None),
        "word/_rels/document.xml.rels": document_rels(header is not None, image is not None),
        "word/styles.xml": styles(),
        "word/settings.xml": settings(),
        "word/numbering.xml": numbering(),
        "word/footnotes.xml": footnotes(notes),
    }
    if header is not None:
        parts["word/header1.xml"] = header_part("hdr", header)
        parts["word/footer1.xml"] = header_part("ftr", footer or "")
    if image is not None:
        parts["word/media/image1.png"] = image
    return parts


# --- the two documents ---------------------------------------------------------------

def report() -> dict[str, str | bytes]:
    b = [
        para("华衡产业研究院 · 行业研究", center=True),
        para("2025年动力电池回收行业研究报告", style="Title"),
        para("作者：林思远　郑可", center=True),
        para("2025年2月20日", center=True),
        para("一、行业概况", style="Heading1"),
        para("随着第一批新能源汽车进入报废期，动力电池回收正在从一个边缘话题变成一门真正的生意。"
             "根据本院测算，2024年国内退役动力电池规模约为42万吨，较上年增长约三成。", run("", footnote=1)),
        para("与规模同步扩大的是参与者的数量。进入行业规范条件名单的回收企业已有百余家，"
             "而实际从事回收业务的小作坊数量可能是这一数字的数倍。"),
        para("1.1 退役规模进入快速增长期", style="Heading2"),
        para("从退役节奏看，2016年至2018年集中上市的电动车型，其电池包普遍已运行七到八年，"
             "容量衰减到初始值的八成以下，开始批量退出车用场景。"),
        para("表1：2021—2024年国内退役动力电池规模", center=True),
        table([["年份", "退役量（万吨）", "同比增长"], ["2021", "18.6", "—"], ["2022", "24.1", "29.6%"],
               ["2023", "32.3", "34.0%"], ["2024", "42.0", "30.0%"]], [2200, 2800, 2200]),
        para("表1显示，退役量连续三年保持三成左右的增速。我们预计，到2027年这一数字将突破百万吨。"),
        para("1.2 三种主要去向", style="Heading2"),
        para("目前，退役电池主要有以下三种去向："),
        para("梯次利用：将容量尚可的电池用于储能、低速车和通信基站备电等场景。", style="ListParagraph", num=(1, 0)),
        para("再生利用：通过拆解、破碎和湿法冶金，提取锂、钴、镍等金属材料。", style="ListParagraph", num=(1, 0)),
        para("非正规渠道：流入缺乏资质的小作坊，存在安全和环保隐患。", style="ListParagraph", num=(1, 0)),
        para("其中，再生利用的经济性与金属价格高度相关。2023年以来碳酸锂价格大幅回落，"
             "使不少再生企业的利润空间被明显压缩。"),
        para(picture("rId7", "图片 1", "", 4572000, 1143000), center=True),
        para("图1：动力电池回收产业链示意", style="Caption"),
        para("二、竞争格局", style="Heading1"),
        para("行业呈现“头部集中、尾部分散”的格局。电池厂、车企和第三方回收企业都在布局，但各自的优势并不相同。"),
        para("电池厂掌握电池的设计数据和拆解工艺，车企握有终端渠道和车主信息，"
             "第三方回收企业则在冶炼产能和成本控制上更有经验。"),
        para("我们调研的十二家企业中，有八家表示正在与上下游建立合资公司，以锁定退役电池的来源。"
             "一位受访企业负责人说：“谁拿到电池，谁就有话语权。”"),
        para("三、风险提示", style="Heading1"),
        para("金属价格大幅波动，影响再生利用的盈利水平；", style="ListParagraph", num=(2, 0)),
        para("退役电池回收渠道不畅，正规企业产能利用率偏低；", style="ListParagraph", num=(2, 0)),
        para("相关政策和标准的出台进度不及预期。", style="ListParagraph", num=(2, 0)),
    ]
    header = para("华衡产业研究院 | 行业研究报告", style="Header")
    footer = para("第 ", page_field(), run(" 页"), style="Footer")
    props = core("行业研究报告模板", "Administrator", "HH-PC", "2023-06-01T02:15:00Z", "2025-02-19T09:40:00Z")
    return package("".join(b), ["数据来源：行业协会公开资料，经本院整理测算。"], header, footer, png(200, 50),
                   props, 3, 1650)


def interview() -> dict[str, str | bytes]:
    def turn(speaker: str, text: str) -> str:
        return para(run(speaker, bold=True), run(text))

    b = [
        para(run("低空物流的账，要一单一单算", bold=True, size=36), center=True),
        para("文／本报记者 苏晴"),
        para("2025年4月8日"),
        para("今年春天，深圳的无人机外卖航线已经覆盖了四十多个写字楼和公园。在这背后，翼途科技是最早一批拿到常态化运营许可的企业之一。"),
        para("成立六年，这家公司累计完成的配送订单超过三百万单，却直到去年才第一次实现单月盈亏平衡。"
             "低空经济被写进政策文件之后，资本和地方政府的热情明显升温。"),
        para("记者日前在翼途科技的深圳总部专访了公司创始人韩立新，聊了聊低空物流的成本、安全和下一步的扩张。"),
        para(run("记者：去年你们第一次实现单月盈亏平衡，转折点是什么？", bold=True)),
        turn("韩立新：", "最关键的是单架次的配送量上来了。早期一架无人机一天只飞十几单，很多时间都在等订单、等天气。"
                      "现在我们在核心航线上做了集单，一架次可以同时送三到四个订单，单均成本降到了原来的三分之一左右。"),
        para(run("记者：很多人担心无人机配送的安全问题，你们怎么回应？", bold=True)),
        turn("韩立新：", "安全是这个行业的生命线。我们每一条航线开通之前，都要做几个月的试飞和数据积累。"
                      "到目前为止，我们没有发生过一起造成人员受伤的事故。"
                      "但我也承认，城市上空的风场比想象中复杂得多，高楼之间的乱流是我们最头疼的问题。"),
        para(run("记者：和地面配送相比，无人机的优势到底在哪里？", bold=True)),
        turn("韩立新：", "不是所有订单都适合用无人机送。我们的判断是，在跨江、跨山或者地面交通拥堵的场景里，"
                      "无人机的时效优势非常明显，平均能比骑手快十五分钟以上。在平坦的小区里，骑手依然更划算。"),
        para(run("记者：今年公司的扩张计划是什么？", bold=True)),
        turn("韩立新：", "我们计划新开五个城市，重点是长三角和成渝地区。扩张的节奏会比过去慢一些，"
                      "因为每进入一个城市，都要和当地的空管、城管、物业一一沟通。"),
        turn("邓敏（翼途科技首席运营官）：", "补充一点，我们在新城市会先从医疗样本和应急物资这类刚需场景切入，"
                                      "先把航线跑通，再逐步开放给外卖和零售。"),
        para(run("记者：资本市场对低空经济很热，你担心泡沫吗？", bold=True)),
        turn("韩立新：", "热度高是好事，但这门生意终究要一单一单算清楚。"
                      "我更担心的是有人为了讲故事，在还没跑通安全和成本的时候就大规模铺开。真出了事故，伤害的是整个行业。"),
        para(run("记者：最后一个问题，五年之后你希望翼途是什么样子？", bold=True)),
        turn("韩立新：", "希望到那时候，人们收到无人机送来的包裹，就像今天收到快递一样平常。"),
        para("责任编辑：黄珊"),
    ]
    props = core("", "Windows 用户", "Windows 用户", "2025-04-07T12:03:00Z", "2025-04-08T01:22:00Z")
    return package("".join(b), [], None, None, None, props, 2, 1500)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, parts in (("word-report-battery-recycling", report()), ("word-interview-drone-logistics", interview())):
        path = OUT / f"{name}.docx"
        write(path, parts)
        print(path)


if __name__ == "__main__":
    main()
