; Inno Setup script for the Windows installer (built by .github/workflows/release.yml).
; Assumes: the PyInstaller one-folder bundle is in dist\LoRAStudio (pyinstaller.spec built on
; Windows), Inno Setup 6 is installed (iscc on PATH), and the version comes from the command
; line: iscc /DAppVersion=0.1.0 installer\windows.iss. Installs per user (no admin rights), with
; Start-menu and optional desktop shortcuts and an uninstaller.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6F1B7C2E-4A55-4C8F-9E1D-8B3F2A7C5D10}
AppName=LoRA Studio
AppVersion={#AppVersion}
AppPublisher=LoRA Studio
DefaultDirName={localappdata}\Programs\LoRA Studio
DefaultGroupName=LoRA Studio
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=LoRAStudio-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
UninstallDisplayIcon={app}\LoRAStudio.exe

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\LoRAStudio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\LoRA Studio"; Filename: "{app}\LoRAStudio.exe"
Name: "{group}\{cm:UninstallProgram,LoRA Studio}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\LoRA Studio"; Filename: "{app}\LoRAStudio.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\LoRAStudio.exe"; Description: "{cm:LaunchProgram,LoRA Studio}"; Flags: nowait postinstall skipifsilent
