-- Pandoc filter for Word texts: every table cell becomes one line of text, its paragraphs and
-- line breaks joined by spaces and a list's items by semicolons. A Markdown table holds one line
-- per cell; without this, pandoc writes a table with a line break or a second paragraph in any
-- cell as "[TABLE]".
-- A table's caption (Word's "Tabell 1: ..." in the Caption style, next to the table) becomes the
-- line "Tabell: ..." above it, the report's caption of a table in a text; pandoc wrote it as a
-- plain paragraph after the table.
local function items_in_a_line(list)
  local line = pandoc.Inlines{}
  for i, item in ipairs(list.content) do
    if i > 1 then line:extend({pandoc.Str(";"), pandoc.Space()}) end
    line:extend(pandoc.utils.blocks_to_inlines(item, {pandoc.Space()}))
  end
  return pandoc.Plain(line)
end

local function one_line(cell)
  local blocks = pandoc.Blocks(cell.contents):walk({BulletList = items_in_a_line, OrderedList = items_in_a_line})
  local inlines = pandoc.utils.blocks_to_inlines(blocks, {pandoc.Space()})
  inlines = inlines:walk({LineBreak = function() return pandoc.Space() end,
                          SoftBreak = function() return pandoc.Space() end})
  cell.contents = {pandoc.Plain(inlines)}
  return cell
end

local function each_cell(rows)
  for _, row in ipairs(rows) do
    for i, cell in ipairs(row.cells) do row.cells[i] = one_line(cell) end
  end
end

function Table(table)
  each_cell(table.head.rows)
  for _, body in ipairs(table.bodies) do
    each_cell(body.head)
    each_cell(body.body)
  end
  each_cell(table.foot.rows)
  local caption = pandoc.utils.stringify(table.caption.long or {})
  caption = caption:gsub("^%s*[Tt]abell%s*%d*%s*[:.%-]?%s*", "")
  if caption == "" then return table end
  table.caption = pandoc.Caption()
  return {pandoc.Para(pandoc.Inlines("Tabell: " .. caption)), table}
end
