"""The dataset editor's actions: one table of name, text and shortcut, shown as a toolbar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

from lora_studio.gui.icons import icon

CONTEXT = "DatasetToolbar"
# (name, text, shortcut); None separates groups. Shortcuts work while the section has focus.
ACTIONS = (
    ("new", QT_TRANSLATE_NOOP("DatasetToolbar", "New"), ""),
    ("open", QT_TRANSLATE_NOOP("DatasetToolbar", "Open…"), ""),
    ("save", QT_TRANSLATE_NOOP("DatasetToolbar", "Save"), ""),
    ("save_as", QT_TRANSLATE_NOOP("DatasetToolbar", "Save as…"), "Ctrl+Shift+S"),
    ("export", QT_TRANSLATE_NOOP("DatasetToolbar", "Export…"), ""),
    ("split", QT_TRANSLATE_NOOP("DatasetToolbar", "Split…"), ""),
    None,
    ("undo", QT_TRANSLATE_NOOP("DatasetToolbar", "Undo"), QKeySequence.StandardKey.Undo),
    ("redo", QT_TRANSLATE_NOOP("DatasetToolbar", "Redo"), "Ctrl+Shift+Z"),
    None,
    ("add", QT_TRANSLATE_NOOP("DatasetToolbar", "Add"), "Ctrl+Return"),
    ("insert", QT_TRANSLATE_NOOP("DatasetToolbar", "Insert"), "Ins"),
    ("duplicate", QT_TRANSLATE_NOOP("DatasetToolbar", "Duplicate"), "Ctrl+D"),
    ("delete", QT_TRANSLATE_NOOP("DatasetToolbar", "Delete"), "Del"),
    ("up", QT_TRANSLATE_NOOP("DatasetToolbar", "Move up"), "Alt+Up"),
    ("down", QT_TRANSLATE_NOOP("DatasetToolbar", "Move down"), "Alt+Down"),
    None,
    ("copy", QT_TRANSLATE_NOOP("DatasetToolbar", "Copy"), QKeySequence.StandardKey.Copy),
    ("paste", QT_TRANSLATE_NOOP("DatasetToolbar", "Paste"), QKeySequence.StandardKey.Paste),
    ("generate", QT_TRANSLATE_NOOP("DatasetToolbar", "Generate…"), ""),
    ("find", QT_TRANSLATE_NOOP("DatasetToolbar", "Find"), QKeySequence.StandardKey.Find),
    ("replace", QT_TRANSLATE_NOOP("DatasetToolbar", "Replace"), "Ctrl+H"),
    ("fill", QT_TRANSLATE_NOOP("DatasetToolbar", "Fill placeholders…"), ""),
    ("encoding", QT_TRANSLATE_NOOP("DatasetToolbar", "Reopen with encoding…"), ""),
)


# Shown with their text beside the icon; the others show the icon only (their text is the tooltip).
LABELLED = frozenset({"open", "save", "add", "delete", "generate", "find"})


def build_toolbar(owner: QWidget, slots: dict[str, Callable[[], object]]) -> tuple[QToolBar, dict]:
    """A toolbar of ``ACTIONS`` whose shortcuts act within ``owner``; ``slots[name]`` runs
    each. Returns the toolbar and the actions by name."""
    toolbar = QToolBar()
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setIconSize(QSize(18, 18))
    actions: dict[str, QAction] = {}
    for entry in ACTIONS:
        if entry is None:
            toolbar.addSeparator()
            continue
        name, text, shortcut = entry
        action = QAction(icon(name), QCoreApplication.translate(CONTEXT, text), owner)
        if name not in LABELLED:
            action.setPriority(QAction.Priority.LowPriority)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
        action.triggered.connect(slots[name])
        owner.addAction(action)
        toolbar.addAction(action)
        actions[name] = action
    return toolbar, actions
