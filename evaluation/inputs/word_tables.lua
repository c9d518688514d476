-- Pandoc filter for Word texts: every table cell becomes one line of text, its paragraphs, line
-- breaks and list items joined by spaces. A Markdown table holds one line per cell; without this,
-- pandoc writes a table with a line break or a second paragraph in any cell as "[TABLE]".
local function one_line(cell)
  local inlines = pandoc.utils.blocks_to_inlines(cell.contents, {pandoc.Space()})
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
  return table
end
