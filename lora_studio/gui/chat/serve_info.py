"""While the API server runs: its address and key, each copyable, and how to use them."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)


class ServeInfo(QFrame):
    """Shown by the model bar while serving; it knows nothing of the server itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.address = QLineEdit()
        self.address.setReadOnly(True)
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_key = QToolButton()
        self.show_key.setText(self.tr("Show"))
        self.show_key.setCheckable(True)
        self.show_key.setToolTip(self.tr("Show the API key"))
        self.show_key.toggled.connect(self._show_key)
        self.copy_address = QPushButton(self.tr("Copy address"))
        self.copy_address.clicked.connect(lambda: self._copy(self.address.text()))
        self.copy_key = QPushButton(self.tr("Copy key"))
        self.copy_key.clicked.connect(lambda: self._copy(self.key.text()))
        self.hint = QLabel(
            self.tr(
                "Give other programs (the openai package, LangChain, chat front ends) this "
                "address as the base URL and this key as the API key. Only this computer can "
                "connect."
            )
        )
        self.hint.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(QLabel(self.tr("Address:")), 0, 0)
        grid.addWidget(self.address, 0, 1)
        grid.addWidget(self.copy_address, 0, 3)
        grid.addWidget(QLabel(self.tr("API key:")), 1, 0)
        grid.addWidget(self.key, 1, 1)
        grid.addWidget(self.show_key, 1, 2)
        grid.addWidget(self.copy_key, 1, 3)
        grid.addWidget(self.hint, 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        self.hide()

    def show_server(self, url: str, key: str) -> None:
        self.address.setText(url)
        self.key.setText(key)
        self.show_key.setChecked(False)
        self.show()

    def clear(self) -> None:
        self.address.clear()
        self.key.clear()
        self.hide()

    def _show_key(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_key.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
