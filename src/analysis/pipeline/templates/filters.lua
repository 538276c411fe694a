-- Pandoc filter for both outputs.
-- * A unit line (Div .mz-unit) just before a table moves into the table's
--   caption, right-aligned under the title: "表1 …" above, "单位：人" at the right.
-- * Source and note lines (Div .mz-note) are set small.
local function unit_inline(text)
  if FORMAT:match('typst') then
    return pandoc.RawInline('typst', '#linebreak()#box(width: 1fr)[#align(right)[#text(size: 8.5pt, weight: "regular")[' .. text .. ']]]')
  end
  return pandoc.RawInline('html', '<span class="mz-unit">' .. text:gsub('&', '&amp;'):gsub('<', '&lt;') .. '</span>')
end

function Blocks(blocks)
  local out = pandoc.Blocks({})
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    local nxt = blocks[i + 1]
    if b.t == 'Div' and b.classes:includes('mz-unit') and nxt and nxt.t == 'Table' then
      local text = pandoc.utils.stringify(b)
      local long = nxt.caption.long
      if #long > 0 and (long[1].t == 'Plain' or long[1].t == 'Para') then
        long[1].content:insert(unit_inline(text))
      end
      out:insert(nxt)
      i = i + 2
    else
      out:insert(b)
      i = i + 1
    end
  end
  return out
end

function Div(el)
  if FORMAT:match('typst') and el.classes:includes('mz-note') then
    local blocks = { pandoc.RawBlock('typst', '#block(above: 0.5em, below: 1.2em)[#set par(first-line-indent: 0em)\n#text(size: 8.5pt)[') }
    for _, b in ipairs(el.content) do table.insert(blocks, b) end
    table.insert(blocks, pandoc.RawBlock('typst', ']]'))
    return blocks
  end
end
