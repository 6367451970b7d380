//! `Display` for the core's typed messages: the English `Say` says, which
//! is what the command line prints (it stays English, as the book's code
//! does) and what logs show.

/// `Display` as `Say` says it in English, for each type listed; with
/// `error:` first, `std::error::Error` too.
macro_rules! english_display {
    (error: $($t:ty),+ $(,)?) => {
        $crate::i18n::english::english_display!($($t),+);
        $(impl std::error::Error for $t {})+
    };
    ($($t:ty),+ $(,)?) => {
        $(impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::i18n::Say::say(self, $crate::i18n::Lang::En))
            }
        })+
    };
}

pub(crate) use english_display;
