"""A label with text that wraps under itself: a hanging indent, as a Textual Visual.

    1 I can do tomorrow if the risk log waits
      a week. Which matters more?

Textual wraps the text (Content does the wrapping, with the widget's text rules) in the
width left of the label; the label sits on the first line and blank cells of the same
width (in the same style, so a highlight covers them) stand under it on the others.
"""

from __future__ import annotations

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Hanging(Visual):
    """`label` on the first line, `text` wrapped in the columns after it."""

    def __init__(self, label: Content, text: Content) -> None:
        self.label = label
        self.text = text

    @property
    def indent(self) -> int:
        return self.label.cell_length

    @property
    def plain(self) -> str:
        """What the reader sees, unwrapped (label and text)."""
        return self.label.plain + self.text.plain

    def _flat(self) -> Content:
        return Content.assemble(self.label, self.text)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.text.get_optimal_width(rules, container_width - self.indent)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + self.text.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width <= self.indent:
            return self._flat().get_height(rules, width)
        return self.text.get_height(rules, width - self.indent)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        indent = self.indent
        if width <= indent:  # no room beside the label: plain wrapping
            return self._flat().render_strips(width, height, style, options)
        lines = self.text.render_strips(width - indent, height, style, options)
        head = self.label.render_strips(indent, 1, style, options)
        rich_style = style.rich_style
        first = head[0] if head else Strip.blank(indent, rich_style)
        under = Strip.blank(indent, rich_style)
        return [
            Strip.join([(first if y == 0 else under).extend_cell_length(indent, rich_style), line])
            for y, line in enumerate(lines)
        ]
