-- Pandoc filter of the house style, for both outputs and both backends (the
-- pandoc+typst backend passes it with --lua-filter; the Quarto format lists it).
-- * Table columns get their natural width: pipe tables with long rows would
--   otherwise get widths from the dashes of the separator line, and narrow
--   columns then break their headers character by character.
-- * A unit line (Div .mz-unit) just before a table moves into the table's
--   caption, right-aligned under the title: "表1 …" above, "单位：人" at the right.
-- * Source and note lines (Div .mz-note) are set small.
local function unit_inline(text)
  if FORMAT:match('typst') then
    return pandoc.RawInline('typst', '#linebreak()#box(width: 1fr)[#align(right)[#text(size: 8.5pt, weight: "regular")[' .. text .. ']]]')
  end
  return pandoc.RawInline('html', '<span class="mz-unit">' .. text:gsub('&', '&amp;'):gsub('<', '&lt;') .. '</span>')
end

function Table(tbl)
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], nil }
  end
  return tbl
end

-- typst: a captioned table becomes a figure whose caption this filter writes itself.
-- Quarto (1.6+, quarto-dev/quarto-cli#11733) drops the captions of Markdown tables
-- that are not cross-referenced (#tbl-...); writing the figure here keeps them, and
-- gives both backends the same typst.
local function typst_figure(tbl)
  local long = tbl.caption.long
  if #long == 0 then
    return { tbl }
  end
  local out = { pandoc.RawBlock('typst', '#figure(kind: table, caption: figure.caption(position: top)[') }
  for _, b in ipairs(long) do
    table.insert(out, pandoc.Plain(b.content))
  end
  table.insert(out, pandoc.RawBlock('typst', '])['))
  tbl.caption.long = pandoc.Blocks({})
  table.insert(out, tbl)
  table.insert(out, pandoc.RawBlock('typst', ']'))
  return out
end

-- Source and note lines below a table, set small.
local function note_blocks(content)
  if FORMAT:match('typst') then
    local blocks = { pandoc.RawBlock('typst', '#block(above: 0.5em, below: 1.2em)[#set par(first-line-indent: 0em)\n#text(size: 8.5pt)[') }
    for _, b in ipairs(content) do table.insert(blocks, b) end
    table.insert(blocks, pandoc.RawBlock('typst', ']]'))
    return blocks
  end
  return { pandoc.Div(content, pandoc.Attr('', { 'mz-note' })) }
end

local function para_starting(block, prefix)
  return block and block.t == 'Para' and pandoc.utils.stringify(block):sub(1, #prefix) == prefix
end

-- A table as a notebook shows it (analysis.present.Publisher, text/markdown): a bold
-- "表N　title" line, an optional "单位：" line, the table, then "资料来源/注" lines.
-- Returns the table with its caption and unit, the note blocks, and the next index.
local function notebook_table(blocks, i)
  local b = blocks[i]
  if not (b.t == 'Para' and #b.content == 1 and b.content[1].t == 'Strong'
          and pandoc.utils.stringify(b):match('^表%d+')) then
    return nil
  end
  local j, unit = i + 1, nil
  if para_starting(blocks[j], '单位：') then
    unit = pandoc.utils.stringify(blocks[j])
    j = j + 1
  end
  local tbl = blocks[j]
  if not (tbl and tbl.t == 'Table' and #tbl.caption.long == 0) then
    return nil
  end
  local caption = pandoc.Plain(b.content[1].content)
  if unit then caption.content:insert(unit_inline(unit)) end
  tbl.caption.long = pandoc.Blocks({ caption })
  j = j + 1
  local notes = nil
  if para_starting(blocks[j], '资料来源：') or para_starting(blocks[j], '注：') then
    notes = note_blocks({ blocks[j] })
    j = j + 1
  end
  return tbl, notes, j
end

-- A figure caption as a notebook shows it: a bold "图N　caption" line under the image.
local function notebook_figcaption(b)
  if b.t == 'Para' and #b.content == 1 and b.content[1].t == 'Strong'
     and pandoc.utils.stringify(b):match('^图%d+') then
    if FORMAT:match('typst') then
      return { pandoc.RawBlock('typst', '#align(center)[#text(font: mz-sans, size: 10pt, weight: "bold")['),
               pandoc.Plain(b.content[1].content), pandoc.RawBlock('typst', ']]') }
    end
    return { pandoc.Div({ pandoc.Plain(b.content[1].content) }, pandoc.Attr('', { 'mz-figcaption' })) }
  end
end

function Blocks(blocks)
  local out = pandoc.Blocks({})
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    local nxt = blocks[i + 1]
    local tbl, notes, after = notebook_table(blocks, i)
    local figcaption = notebook_figcaption(b)
    if figcaption then
      out:extend(figcaption)
      i = i + 1
    elseif tbl then
      i = after
    elseif b.t == 'Div' and b.classes:includes('mz-unit') and nxt and nxt.t == 'Table' then
      local text = pandoc.utils.stringify(b)
      local long = nxt.caption.long
      if #long > 0 and (long[1].t == 'Plain' or long[1].t == 'Para') then
        long[1].content:insert(unit_inline(text))
      end
      tbl = nxt
      i = i + 2
    elseif b.t == 'Table' then
      tbl = b
      i = i + 1
    else
      out:insert(b)
      i = i + 1
    end
    if tbl and FORMAT:match('typst') then
      out:extend(typst_figure(tbl))
    elseif tbl then
      out:insert(tbl)
    end
    if notes then out:extend(notes) end
  end
  return out
end

function Div(el)
  if FORMAT:match('typst') and el.classes:includes('mz-note') then
    return note_blocks(el.content)
  end
end
