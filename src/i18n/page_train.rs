//! The training side of the page in both languages: the header and footer,
//! the net's card and panel, the training form and what a run shows (the
//! estimate, the progress, the chart, the confusion matrix, the gradient
//! view, the weights and data files), and the embed bar.
//!
//! Static strings are one catalogue ([`TrainText`]); messages with numbers
//! or names are typed values, by the part of the page that shows them
//! ([`form`], [`setups`], [`status`], [`results`], [`files`]). Terms as d2l-zh has them:
//! 学习率, 批量大小, 轮 (epoch), 精度 (accuracy: 训练精度, 测试精度, as the
//! book's 小结 say it), 梯度, 权重. The book's training line ("loss 0.472,
//! train acc 0.823, …") is not here: it stays as the book's code prints it.
//! The training worker (a Web Worker) is 训练线程.

mod files;
mod form;
mod results;
mod setups;
mod status;

pub use files::*;
pub use form::*;
pub use results::*;
pub use setups::*;
pub use status::*;

crate::catalogue! {
    /// A static string of the training side of the page.
    pub enum TrainText {
        // The frame: header, footer, embed bar, the link's notices.
        PageTitle => "CNN playground: the classic CNNs of Dive into Deep Learning",
            "CNN 练习场：《动手学深度学习》中的经典卷积神经网络";
        Heading => "CNN playground", "CNN 练习场";
        /// The tagline, around the book's name (a link).
        TaglineBefore => "The classic convolutional nets of ", "来自《";
        BookName => "Dive into Deep Learning", "动手学深度学习";
        TaglineAfter => ": see every layer's shape, then train the net on Fashion-MNIST right here in the tab.",
            "》的经典卷积神经网络：先看每一层的形状，再就在这个标签页里用 Fashion-MNIST 训练它。";
        FooterBuilt => "Built with Rust, Burn and Leptos. Fashion-MNIST © 2017 Zalando SE (MIT). ",
            "用 Rust、Burn 和 Leptos 构建。Fashion-MNIST © 2017 Zalando SE（MIT 许可）。";
        FooterEmbed => "Embed it in course notes", "嵌入课程讲义";
        OpenFull => "open full playground ↗", "打开完整的练习场 ↗";
        NoticesHead => "Some link settings were ignored: ", "链接中的部分设置已被忽略：";
        Dismiss => "dismiss", "关闭";
        CheckingWebGpu => "checking for WebGPU…", "正在检测 WebGPU…";
        SoftwareRenderer => "a software renderer: the CPU backend is faster here (backend: auto or CPU)",
            "这是软件渲染器：这里用 CPU 后端更快（后端选“自动”或“CPU”）";

        // The net.
        NetsNav => "nets", "网络";
        ChangedFromBook => "Changed from the book's: ", "与书中不同之处：";
        InputSizeLabel => "input size (px)", "输入大小（像素）";

        // The training form.
        TrainingSection => "training", "训练";
        TrainHeading => "Train on Fashion-MNIST", "在 Fashion-MNIST 上训练";
        OptimizerLabel => "optimizer", "优化器";
        OptimizerSgd => "SGD", "SGD";
        OptimizerMomentum => "momentum", "动量法";
        OptimizerAdam => "Adam", "Adam";
        BackendLabel => "backend", "后端";
        BackendAuto => "auto", "自动";
        BackendWebGpu => "WebGPU", "WebGPU";
        BackendCpu => "CPU", "CPU";
        GradientViewLabel => "gradient view", "梯度视图";
        GradientViewTitle => "Measures each layer's weight gradient at every step for the gradient view; costs a few per cent of speed",
            "每一步都测量各层权重的梯度，供梯度视图使用；训练会慢几个百分点";
        Train => "Train", "训练";
        Pause => "Pause", "暂停";
        Resume => "Resume", "继续";
        Stop => "Stop", "停止";
        WorkerStarting => "The training worker is starting; Train now and the run starts as soon as it is up.",
            "训练线程正在启动；现在就可以点击“训练”，它一就绪训练便开始。";
        Share => "Share", "分享";
        ShareDone => "link copied", "链接已复制";
        ShareBlocked => "copy the address bar: the clipboard is blocked", "剪贴板被浏览器阻止：请复制地址栏中的链接";
        ShareTitle => "copy a link to this setup", "复制指向当前设置的链接";

        // The two setups.
        SetupsGroup => "setups", "训练设置";
        BookSetup => "the book's settings", "书中的设置";
        QuickSetup => "quick setting", "快速设置";
        OwnSettings => "Your own settings.", "你自己的设置。";
        UseQuick => "Use the quick setting", "改用快速设置";

        // What the run is doing.
        WaitingForWorker => "Train pressed: waiting for the training worker to start…",
            "已点击训练：正在等待训练线程启动…";
        WaitingForBackend => "Train pressed: waiting for the worker to choose WebGPU or the CPU…",
            "已点击训练：正在等待训练线程选择 WebGPU 或 CPU…";
                LoadingData => "Loading Fashion-MNIST…", "正在加载 Fashion-MNIST…";
        StartingRun => "Train pressed: the worker is starting the run…", "已点击训练：训练线程正在开始训练…";
        Ready => "Ready when you are.", "准备就绪，随时可以开始。";
        CompilingKernels => "Preparing kernels: the first step compiles the GPU shaders…",
            "正在准备 GPU 内核：第一步要编译 GPU 着色器…";
        FirstBatchGpu => "Starting: the first batch on the GPU…", "开始：在 GPU 上训练第一个批量…";
        FirstBatchCpu => "Starting: the first batch on the CPU…", "开始：在 CPU 上训练第一个批量…";
        Paused => "paused", "已暂停";
        Evaluating => "evaluating on the test set", "正在测试集上评估";
        Done => "Done.", "完成。";
        Retry => "Retry", "重试";
        OrPickFiles => " or pick the four files below.", "，或者在下面选择那四个文件。";
        EpochsSummary => "epochs", "各轮结果";

        // The weights bar and the data files.
        SaveWeights => "Save weights", "保存权重";
        SaveWeightsTitle => "the net's weights as a safetensors file PyTorch's load_state_dict reads",
            "把网络的权重存为 safetensors 文件，PyTorch 的 load_state_dict 能读取它";
        LoadWeights => "Load weights…", "加载权重…";
        LoadWeightsTitle => "a safetensors file: ours, or one saved from the book's PyTorch net (or drop it on this bar)",
            "一个 safetensors 文件：本页保存的，或书中 PyTorch 网络保存的（也可以拖放到这一栏上）";
        TrainOnFromWeights => "Train on from these weights", "从这些权重接着训练";
        /// The export beside Save weights: a group of two buttons.
        ExportPyTorch => "Export as PyTorch:", "导出为 PyTorch 代码：";
        ExportPyTorchTitle => "the net as the book's PyTorch code, with this form's settings: train it on a GPU, or on many with torchrun, and load its weights back here",
            "把网络导出为书中的 PyTorch 代码（使用本表单的设置）：在 GPU 上训练，或用 torchrun 在多个 GPU 上训练，再把权重加载回这里";
        ExportScript => "script (.py)", "脚本 (.py)";
        ExportNotebook => "Jupyter notebook (.ipynb)", "Jupyter 记事本 (.ipynb)";
        DataFilesSummary => "use Fashion-MNIST files from your disk", "使用你磁盘上的 Fashion-MNIST 文件";
        /// "Pick the four .gz files …", around the `.gz` (code).
        PickFilesBefore => "Pick the four ", "选择这四个 ";
        PickFilesAfter => " files (train and t10k, images and labels).",
            " 文件（train 与 t10k 的图像和标签）。";
        PickFilesLabel => "Fashion-MNIST's four files", "Fashion-MNIST 的四个文件";
        UsingYourFiles => "using your files", "正在使用你的文件";

        // The chart.
        ChartLabel => "train loss, train accuracy and test accuracy by epoch",
            "各轮的训练损失、训练精度和测试精度";
        EpochAxis => "epoch", "轮";
        TrainLoss => "train loss", "训练损失";
        TrainAcc => "train acc", "训练精度";
        TestAcc => "test acc", "测试精度";

        // The confusion matrix.
        ConfusionSummary => "confusion matrix", "混淆矩阵";
        ConfusionCaption => "true class (rows) by predicted class (columns)", "真实类别（行）× 预测类别（列）";
        ClassAcc => "class acc", "类别精度";

        // The gradient view.
        GradientFlow => "Gradient flow", "梯度流";
        GradientHint => "Each row is a layer with weights, the first layer on top; each column a training step. The colour is on a log scale shared by both strips: ",
            "每一行是一个带权重的层，第一层在最上面；每一列是一个训练步。颜色用两条色带共用的对数刻度表示：";
        GradientNorms => "the L2 norm of the layer's weight gradient", "该层权重梯度的 L2 范数";
        OutputRms => "the root mean square of the layer's output", "该层输出的均方根";
        ThisRun => "this run", "本次运行";
        RunBefore => "the run before", "上一次运行";
        FirstLayer => "first layer", "第一层";
        LastLayer => "last layer", "最后一层";
        GradientValuesLabel => "what the strips show", "色带显示的量";
        FirstStep => "first step", "第一步";
        LastSteps => "last steps (mean of up to 10)", "最后几步（至多 10 步的均值）";

        // For keyboards, screen readers and phones.
        SkipToTraining => "Skip to training", "跳到训练";
        ShowAsTable => "show as a table", "以表格显示";
        ConfusionKey => "On the diagonal, in bold: right answers; off it: mistakes.",
            "对角线上（粗体）是分类正确的数目，其余是分类错误的。";
    }
}

crate::catalogue! {
    /// A number field of the training form, as its label and its problems
    /// name it.
    pub enum FormField {
        InputSize => "input size", "输入大小";
        LearningRate => "learning rate", "学习率";
        BatchSize => "batch size", "批量大小";
        Epochs => "epochs", "轮数";
        TrainImages => "training images", "训练图像数";
        TestImages => "test images", "测试图像数";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalogue, check_catalogue};

    #[test]
    fn every_entry_says_something_in_both_languages() {
        check_catalogue(TrainText::ALL);
        check_catalogue(FormField::ALL);
    }

    #[test]
    fn d2l_zh_terms_and_never_the_old_ones() {
        use crate::i18n::Lang;
        let zh: Vec<&str> = TrainText::ALL.iter().map(|t| t.get(Lang::Zh)).collect();
        assert!(zh.iter().all(|t| !t.contains("池化") && !t.contains("归一化")));
        assert_eq!(FormField::Epochs.get(Lang::Zh), "轮数");
        assert_eq!(FormField::LearningRate.get(Lang::Zh), "学习率");
        assert_eq!(FormField::BatchSize.get(Lang::Zh), "批量大小");
        assert_eq!(TrainText::TestAcc.get(Lang::Zh), "测试精度");
        assert!(TrainText::ExportNotebook.get(Lang::Zh).contains("记事本"));
    }
}
