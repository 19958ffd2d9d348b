; Inno Setup script for the Windows installer (built by .github/workflows/release.yml).
; Assumes: the PyInstaller one-folder bundle is in dist\LoRAStudio (pyinstaller.spec built on
; Windows: LoRAStudio.exe, windowed, and lora-studio-engine.exe, the console engine), Inno
; Setup 6 (iscc on PATH), installer\ChineseSimplified.isl (the workflow copies or fetches it),
; and the version and edition from the command line:
;   iscc /DAppVersion=0.1.0 /DEdition=cuda126 installer\windows.iss
; Per-user install with no admin rights; the folder can be chosen (big models: not on C:);
; Start-menu and optional desktop shortcuts; an optional .jsonl association; Chinese and
; English pages; an uninstaller that keeps runs, models and settings unless asked.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef Edition
  #define Edition "cpu"
#endif

[Setup]
AppId={{6F1B7C2E-4A55-4C8F-9E1D-8B3F2A7C5D10}
AppName=LoRA Studio
AppVersion={#AppVersion}
AppVerName=LoRA Studio {#AppVersion} ({#Edition})
AppPublisher=LoRA Studio
DefaultDirName={localappdata}\Programs\LoRA Studio
DefaultGroupName=LoRA Studio
DisableDirPage=no
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
OutputDir=..\dist
OutputBaseFilename=LoRAStudio-{#AppVersion}-windows-x64-{#Edition}-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
WizardStyle=modern
UninstallDisplayIcon={app}\LoRAStudio.exe
ShowLanguageDialog=auto

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"

[CustomMessages]
english.AssociateJsonl=Open .jsonl datasets with LoRA Studio
chinesesimplified.AssociateJsonl=用 LoRA Studio 打开 .jsonl 数据集
english.FileTypes=File types:
chinesesimplified.FileTypes=文件类型：
english.DeleteData=Also delete your runs, models and settings (in %1)?%n%nChoose No to keep them for a later install.
chinesesimplified.DeleteData=同时删除你的运行记录、模型和设置（位于 %1）吗？%n%n选择“否”可保留它们，供以后安装时使用。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "jsonl"; Description: "{cm:AssociateJsonl}"; GroupDescription: "{cm:FileTypes}"; Flags: unchecked

[Files]
Source: "..\dist\LoRAStudio\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\LoRA Studio"; Filename: "{app}\LoRAStudio.exe"
Name: "{group}\{cm:UninstallProgram,LoRA Studio}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\LoRA Studio"; Filename: "{app}\LoRAStudio.exe"; Tasks: desktopicon

[Registry]
; per user (HKCU): no admin rights; removed by the uninstaller
Root: HKCU; Subkey: "Software\Classes\.jsonl\OpenWithProgids"; ValueType: string; ValueName: "LoRAStudio.jsonl"; ValueData: ""; Flags: uninsdeletevalue; Tasks: jsonl
Root: HKCU; Subkey: "Software\Classes\LoRAStudio.jsonl"; ValueType: string; ValueName: ""; ValueData: "JSON Lines dataset"; Flags: uninsdeletekey; Tasks: jsonl
Root: HKCU; Subkey: "Software\Classes\LoRAStudio.jsonl\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\LoRAStudio.exe,0"; Tasks: jsonl
Root: HKCU; Subkey: "Software\Classes\LoRAStudio.jsonl\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\LoRAStudio.exe"" ""%1"""; Tasks: jsonl

[Run]
Filename: "{app}\LoRAStudio.exe"; Description: "{cm:LaunchProgram,LoRA Studio}"; Flags: nowait postinstall skipifsilent

[Code]
{ The user's runs, models and settings live outside the install folder (platformdirs'
  %LOCALAPPDATA%\LoRA Studio): kept on uninstall unless the user says otherwise. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Data: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    Data := ExpandConstant('{localappdata}\LoRA Studio');
    if DirExists(Data) and not UninstallSilent then
      if MsgBox(FmtMessage(CustomMessage('DeleteData'), [Data]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(Data, True, True, True);
  end;
end;
