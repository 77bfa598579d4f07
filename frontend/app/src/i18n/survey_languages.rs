//! The words around a survey for respondents who answer in another language: buttons, hints,
//! progress, privacy and the messages about their answers. The survey's own texts come from the
//! planners' translations; these come with the platform. Planner pages stay German (the struct
//! update `..DE` keeps every text not listed here).
//!
//! Translations: English, Turkish, Arabic, Ukrainian and Leichte Sprache (`de-x-ls`), the
//! languages most asked for in NRW's Quartiere. They should be reviewed by native speakers
//! before a Kommune relies on them; a wrong word here is one fix for every survey.

use super::surveys::{SurveyTexts, DE};

/// The respondent's texts for a survey language tag (`tr`, `ar`, `de-x-ls`, …); German for
/// languages without platform texts.
pub fn texts_for(tag: &str) -> &'static SurveyTexts {
    match primary(tag) {
        "en" => &EN,
        "tr" => &TR,
        "ar" => &AR,
        "uk" => &UK,
        "de-x-ls" => &LS,
        _ => &super::surveys::DE_SURVEYS,
    }
}

/// `de-x-ls` stays whole (Leichte Sprache); other tags are cut to their language (`en-GB`).
fn primary(tag: &str) -> &str {
    if tag.eq_ignore_ascii_case("de-x-ls") {
        "de-x-ls"
    } else {
        tag.split(['-', '_']).next().unwrap_or(tag)
    }
}

/// A message about an answer or a refusal in the respondent's language, `None` when there is
/// no translation (the caller shows the German one).
pub fn message_for(tag: &str, code: &str) -> Option<&'static str> {
    let m: &[(&str, &str)] = match primary(tag) {
        "en" => EN_MESSAGES,
        "tr" => TR_MESSAGES,
        "ar" => AR_MESSAGES,
        "uk" => UK_MESSAGES,
        "de-x-ls" => LS_MESSAGES,
        _ => return None,
    };
    let code = match code {
        "UNKNOWN_QUESTION" | "WRONG_TYPE" => "UNKNOWN_OPTION",
        c => c,
    };
    m.iter().find(|(c, _)| *c == code).map(|(_, text)| *text)
}

pub static EN: SurveyTexts = SurveyTexts {
    point_address: "Or an address nearby",
    point_address_hint: "e.g. “Kalker Hauptstraße 120”. Only the point is stored, not the address.",
    point_find: "Show on the map",
    point_find_wait: "Looking for the address …",
    point_found: "Found, the place is set: {}",
    list_title: "Surveys",
    language_choose: "Choose another language",
    privacy_heading: "Privacy",
    privacy_default: "This survey is anonymous. We only store your answers and the day you sent them – no name, no IP address, no device. Results are only shown for groups of several people, so that nobody can be recognised.",
    code_label: "Your participation code (printed on your letter)",
    code_hint: "for example ABCD-3467",
    start: "Start the survey",
    resume: "Continue",
    questions_count: "questions",
    until: "until",
    closed_text: "This survey no longer accepts answers.",
    not_open_text: "This survey has not started yet.",
    already_text: "You have already answered this survey on this device. Thank you!",
    account_text: "This survey is for signed-in residents of the municipality.",
    sign_in: "Sign in",
    step: "Step",
    of: "of",
    progress_label: "Progress",
    required: "required",
    optional_note: "You may skip questions without a star.",
    back: "Back",
    next: "Next",
    revealed: "Your answer opened further questions. Please have a look at them.",
    problems_heading: "Please check your answers",
    other_label: "Other:",
    number_range: "between",
    and: "and",
    choose: "please choose",
    rank_label: "Rank",
    rank_hint: "Give rank 1 to what matters most. You do not have to rank everything.",
    point_hint: "Tap the map to set the place, or enter the coordinates.",
    point_lat: "Latitude",
    point_lon: "Longitude",
    point_coords: "Enter coordinates",
    quartier_choose: "Your neighbourhood",
    quartier_map_hint: "Tap your neighbourhood on the map or choose it from the list.",
    postcode_label: "Or your postcode",
    postcode_hint: "If you do not know your neighbourhood, we find it from your postcode.",
    postcode_several: "This postcode belongs to several neighbourhoods. Please choose yours from the list.",
    postcode_unknown: "This postcode does not belong to any neighbourhood of this survey.",
    chars_max: "at most this many characters:",
    review_title: "Check your answers",
    review_intro: "This is what will be sent. You can still change every part.",
    review_edit: "Change",
    no_answer: "no answer",
    send: "Send answers",
    thanks_title: "Thank you!",
    thanks_default: "Your answers have arrived. They help us make the neighbourhood better.",
    thanks_results: "See the results",
    offline_saved: "No connection: your answers are saved on this phone and will be sent as soon as you are online again.",
    offline_sent: "Your saved answers have been sent. Thank you!",
    thanks_link: "Continue",
    send_failed: "The answers could not be sent:",
    final_intro: "You have seen all questions. With “Back” you can still change everything. If you have no connection right now, the answers stay on this phone and are sent later.",
    ..DE
};

const EN_MESSAGES: &[(&str, &str)] = &[
    ("ADDRESS_UNKNOWN", "We do not know this address. Please check the street and house number, or tap the map."),
    ("ADDRESS_AMBIGUOUS", "This address exists more than once. Please add the postcode."),
    ("NO_ADDRESS_REGISTER", "Addresses cannot be looked up here. Please tap the map."),
    ("LOCATE_FAILED", "The address could not be looked up just now. Please tap the map."),
    ("SURVEY_NOT_OPEN", "This survey has not started yet."),
    ("SURVEY_CLOSED", "This survey has ended and no longer accepts answers."),
    ("CODE_REQUIRED", "Please enter your participation code."),
    ("CODE_UNKNOWN", "We do not know this code. Please check the spelling."),
    ("CODE_USED", "This code has already been used. Each code works only once."),
    ("ALREADY_ANSWERED", "You have already answered this survey on this device."),
    ("ACCOUNT_REQUIRED", "Please sign in to take part in this survey."),
    ("INVALID_ANSWERS", "Some answers do not fit. Please check the marked questions."),
    ("DRAFT_MISSING", "Your started answers are no longer on this device (they are deleted after 24 hours). Please start again."),
    ("ANSWER_REQUIRED", "Please answer this question."),
    ("UNKNOWN_OPTION", "Please choose one of the answers offered."),
    ("OUT_OF_RANGE", "This value is outside the allowed range."),
    ("NOT_WHOLE", "Please enter a whole number."),
    ("TOO_LONG", "Your answer is too long."),
    ("DUPLICATE_OPTION", "Each rank can only be given once."),
    ("TOO_MANY_OPTIONS", "You chose more answers than allowed."),
    ("NOT_A_NUMBER", "Please enter a number, for example 12 or 3.5."),
    ("NOT_A_DATE", "Please enter a date, for example 24.12.2026."),
    ("INCOMPLETE", "Please enter both coordinates or tap the map."),
    ("UNKNOWN_AREA", "This place is not in the area of the survey."),
    ("NOT_A_POSTCODE", "Please enter a five-digit postcode."),
    ("UNKNOWN_POSTCODE", "This postcode does not belong to any neighbourhood of the survey. Please choose your neighbourhood from the list."),
    ("AMBIGUOUS_POSTCODE", "This postcode belongs to several neighbourhoods. Please choose yours from the list."),
];

pub static TR: SurveyTexts = SurveyTexts {
    point_address: "Ya da yakındaki bir adres",
    point_address_hint: "Örneğin „Kalker Hauptstraße 120“. Adres değil, yalnızca nokta kaydedilir.",
    point_find: "Haritada göster",
    point_find_wait: "Adres aranıyor …",
    point_found: "Bulundu, yer belirlendi: {}",
    list_title: "Anketler",
    language_choose: "Başka bir dil seçin",
    privacy_heading: "Veri koruma",
    privacy_default: "Bu anket anonimdir. Yalnızca cevaplarınızı ve gönderdiğiniz günü kaydediyoruz – isim, IP adresi veya cihaz bilgisi kaydedilmez. Sonuçlar yalnızca birkaç kişilik gruplar için gösterilir, böylece kimse tanınamaz.",
    code_label: "Katılım kodunuz (mektubunuzda yazılı)",
    code_hint: "örneğin ABCD-3467",
    start: "Ankete başla",
    resume: "Devam et",
    questions_count: "soru",
    until: "son gün:",
    closed_text: "Bu anket artık cevap kabul etmiyor.",
    not_open_text: "Bu anket henüz başlamadı.",
    already_text: "Bu anketi bu cihazda zaten cevapladınız. Teşekkür ederiz!",
    account_text: "Bu anket, belediyenin giriş yapmış sakinleri içindir.",
    sign_in: "Giriş yap",
    step: "Adım",
    of: "/",
    progress_label: "İlerleme",
    required: "zorunlu soru",
    optional_note: "Yıldızsız soruları atlayabilirsiniz.",
    back: "Geri",
    next: "İleri",
    revealed: "Cevabınız yeni sorular açtı. Lütfen onlara da bakın.",
    problems_heading: "Lütfen cevaplarınızı kontrol edin",
    other_label: "Diğer:",
    number_range: "izin verilen aralık:",
    and: "–",
    choose: "lütfen seçin",
    rank_label: "Sıra",
    rank_hint: "En önemli olana 1. sırayı verin. Hepsini sıralamak zorunda değilsiniz.",
    point_hint: "Yeri belirlemek için haritaya dokunun veya koordinatları girin.",
    point_lat: "Enlem",
    point_lon: "Boylam",
    point_coords: "Koordinatları girin",
    quartier_choose: "Mahalleniz",
    quartier_map_hint: "Haritada mahallenize dokunun veya listeden seçin.",
    postcode_label: "Veya posta kodunuz",
    postcode_hint: "Mahallenizi bilmiyorsanız posta kodunuzdan buluruz.",
    postcode_several: "Bu posta kodu birden fazla mahalleye ait. Lütfen listeden kendi mahallenizi seçin.",
    postcode_unknown: "Bu posta kodu anketteki hiçbir mahalleye ait değil.",
    chars_max: "en fazla karakter:",
    review_title: "Cevaplarınızı kontrol edin",
    review_intro: "Cevaplarınız bu şekilde gönderilecek. Her bölümü hâlâ değiştirebilirsiniz.",
    review_edit: "Değiştir",
    no_answer: "cevap yok",
    send: "Cevapları gönder",
    thanks_title: "Çok teşekkürler!",
    thanks_default: "Cevaplarınız ulaştı. Mahalleyi daha iyi hale getirmemize yardımcı oluyorsunuz.",
    thanks_results: "Sonuçları gör",
    offline_saved: "Bağlantı yok: Cevaplarınız bu telefonda kaydedildi ve tekrar çevrimiçi olduğunuzda gönderilecek.",
    offline_sent: "Kaydedilen cevaplarınız gönderildi. Teşekkür ederiz!",
    thanks_link: "Devam",
    send_failed: "Cevaplar gönderilemedi:",
    final_intro: "Tüm soruları gördünüz. „Geri“ ile her şeyi hâlâ değiştirebilirsiniz. Şu anda bağlantınız yoksa cevaplar bu telefonda kalır ve daha sonra gönderilir.",
    ..DE
};

const TR_MESSAGES: &[(&str, &str)] = &[
    ("ADDRESS_UNKNOWN", "Bu adresi bilmiyoruz. Lütfen sokak adını ve kapı numarasını kontrol edin ya da haritaya dokunun."),
    ("ADDRESS_AMBIGUOUS", "Bu adres birden fazla yerde var. Lütfen posta kodunu da yazın."),
    ("NO_ADDRESS_REGISTER", "Burada adres aranamıyor. Lütfen haritaya dokunun."),
    ("LOCATE_FAILED", "Adres şu anda aranamadı. Lütfen haritaya dokunun."),
    ("SURVEY_NOT_OPEN", "Bu anket henüz başlamadı."),
    ("SURVEY_CLOSED", "Bu anket sona erdi ve artık cevap kabul etmiyor."),
    ("CODE_REQUIRED", "Lütfen katılım kodunuzu girin."),
    ("CODE_UNKNOWN", "Bu kodu tanımıyoruz. Lütfen yazılışını kontrol edin."),
    ("CODE_USED", "Bu kodla zaten cevap verildi. Her kod yalnızca bir kez geçerlidir."),
    ("ALREADY_ANSWERED", "Bu anketi bu cihazda zaten cevapladınız."),
    ("ACCOUNT_REQUIRED", "Bu ankete katılmak için lütfen giriş yapın."),
    ("INVALID_ANSWERS", "Bazı cevaplar uygun değil. Lütfen işaretli soruları kontrol edin."),
    ("DRAFT_MISSING", "Başladığınız cevaplar bu cihazda artık yok (24 saat sonra silinir). Lütfen yeniden başlayın."),
    ("ANSWER_REQUIRED", "Lütfen bu soruyu cevaplayın."),
    ("UNKNOWN_OPTION", "Lütfen sunulan cevaplardan birini seçin."),
    ("OUT_OF_RANGE", "Bu değer izin verilen aralığın dışında."),
    ("NOT_WHOLE", "Lütfen tam sayı girin."),
    ("TOO_LONG", "Cevabınız çok uzun."),
    ("DUPLICATE_OPTION", "Her sıra yalnızca bir kez verilebilir."),
    ("TOO_MANY_OPTIONS", "İzin verilenden fazla cevap seçtiniz."),
    ("NOT_A_NUMBER", "Lütfen bir sayı girin, örneğin 12 veya 3,5."),
    ("NOT_A_DATE", "Lütfen bir tarih girin, örneğin 24.12.2026."),
    ("INCOMPLETE", "Lütfen iki koordinatı da girin veya haritaya dokunun."),
    ("UNKNOWN_AREA", "Bu yer anket bölgesinde değil."),
    ("NOT_A_POSTCODE", "Lütfen beş haneli bir posta kodu girin."),
    ("UNKNOWN_POSTCODE", "Bu posta kodu anketteki hiçbir mahalleye ait değil. Lütfen mahallenizi listeden seçin."),
    ("AMBIGUOUS_POSTCODE", "Bu posta kodu birden fazla mahalleye ait. Lütfen listeden kendi mahallenizi seçin."),
];

pub static AR: SurveyTexts = SurveyTexts {
    point_address: "أو عنوان قريب",
    point_address_hint: "مثلاً „Kalker Hauptstraße 120“. تُحفظ النقطة فقط، لا العنوان.",
    point_find: "أظهر على الخريطة",
    point_find_wait: "جارٍ البحث عن العنوان …",
    point_found: "تم العثور عليه، وتم تحديد المكان: {}",
    list_title: "الاستطلاعات",
    language_choose: "اختر لغة أخرى",
    privacy_heading: "حماية البيانات",
    privacy_default: "هذا الاستطلاع مجهول الهوية. نحفظ فقط إجاباتك واليوم الذي أرسلتها فيه – بدون اسم أو عنوان IP أو جهاز. تُعرض النتائج فقط لمجموعات من عدة أشخاص حتى لا يمكن التعرف على أحد.",
    code_label: "رمز المشاركة الخاص بك (مطبوع في رسالتك)",
    code_hint: "مثلاً ABCD-3467",
    start: "ابدأ الاستطلاع",
    resume: "تابع الإجابة",
    questions_count: "أسئلة",
    until: "حتى",
    closed_text: "هذا الاستطلاع لم يعد يقبل إجابات.",
    not_open_text: "هذا الاستطلاع لم يبدأ بعد.",
    already_text: "لقد أجبت على هذا الاستطلاع من هذا الجهاز. شكراً لك!",
    account_text: "هذا الاستطلاع مخصص لسكان البلدية المسجلين الدخول.",
    sign_in: "تسجيل الدخول",
    step: "الخطوة",
    of: "من",
    progress_label: "التقدم",
    required: "سؤال إلزامي",
    optional_note: "يمكنك تخطي الأسئلة التي ليس عليها نجمة.",
    back: "رجوع",
    next: "التالي",
    revealed: "فتحت إجابتك أسئلة إضافية. يرجى الاطلاع عليها.",
    problems_heading: "يرجى مراجعة إجاباتك",
    other_label: "غير ذلك:",
    number_range: "بين",
    and: "و",
    choose: "يرجى الاختيار",
    rank_label: "المرتبة",
    rank_hint: "أعطِ المرتبة 1 للأهم. لست مضطراً لترتيب كل شيء.",
    point_hint: "انقر على الخريطة لتحديد المكان، أو أدخل الإحداثيات.",
    point_lat: "خط العرض",
    point_lon: "خط الطول",
    point_coords: "أدخل الإحداثيات",
    quartier_choose: "حيّك",
    quartier_map_hint: "انقر على حيّك في الخريطة أو اختره من القائمة.",
    postcode_label: "أو رمزك البريدي",
    postcode_hint: "إذا كنت لا تعرف حيّك، نحدده من رمزك البريدي.",
    postcode_several: "هذا الرمز البريدي يتبع عدة أحياء. يرجى اختيار حيّك من القائمة.",
    postcode_unknown: "هذا الرمز البريدي لا يتبع أي حي في هذا الاستطلاع.",
    chars_max: "الحد الأقصى لعدد الأحرف:",
    review_title: "راجع إجاباتك",
    review_intro: "هكذا سيتم إرسال إجاباتك. لا يزال بإمكانك تغيير كل جزء.",
    review_edit: "تغيير",
    no_answer: "لا إجابة",
    send: "إرسال الإجابات",
    thanks_title: "شكراً جزيلاً!",
    thanks_default: "وصلت إجاباتك. إنها تساعدنا على تحسين الحي.",
    thanks_results: "عرض النتائج",
    offline_saved: "لا يوجد اتصال: إجاباتك محفوظة على هذا الهاتف وسيتم إرسالها عندما تعود متصلاً بالإنترنت.",
    offline_sent: "تم إرسال إجاباتك المحفوظة. شكراً لك!",
    thanks_link: "متابعة",
    send_failed: "تعذر إرسال الإجابات:",
    final_intro: "لقد رأيت جميع الأسئلة. بزر „رجوع“ يمكنك تغيير كل شيء. إذا لم يكن لديك اتصال الآن، تبقى الإجابات على هذا الهاتف وتُرسل لاحقاً.",
    ..DE
};

const AR_MESSAGES: &[(&str, &str)] = &[
    (
        "ADDRESS_UNKNOWN",
        "لا نعرف هذا العنوان. يرجى التحقق من اسم الشارع ورقم المنزل، أو انقر على الخريطة.",
    ),
    (
        "ADDRESS_AMBIGUOUS",
        "هذا العنوان موجود أكثر من مرة. يرجى إضافة الرمز البريدي.",
    ),
    (
        "NO_ADDRESS_REGISTER",
        "لا يمكن البحث عن العناوين هنا. يرجى النقر على الخريطة.",
    ),
    (
        "LOCATE_FAILED",
        "تعذّر البحث عن العنوان الآن. يرجى النقر على الخريطة.",
    ),
    ("SURVEY_NOT_OPEN", "هذا الاستطلاع لم يبدأ بعد."),
    ("SURVEY_CLOSED", "انتهى هذا الاستطلاع ولم يعد يقبل إجابات."),
    ("CODE_REQUIRED", "يرجى إدخال رمز المشاركة."),
    ("CODE_UNKNOWN", "لا نعرف هذا الرمز. يرجى التحقق من كتابته."),
    (
        "CODE_USED",
        "تم استخدام هذا الرمز من قبل. كل رمز صالح لمرة واحدة فقط.",
    ),
    (
        "ALREADY_ANSWERED",
        "لقد أجبت على هذا الاستطلاع من هذا الجهاز.",
    ),
    (
        "ACCOUNT_REQUIRED",
        "يرجى تسجيل الدخول للمشاركة في هذا الاستطلاع.",
    ),
    (
        "INVALID_ANSWERS",
        "بعض الإجابات غير مناسبة. يرجى مراجعة الأسئلة المحددة.",
    ),
    (
        "DRAFT_MISSING",
        "إجاباتك التي بدأتها لم تعد موجودة على هذا الجهاز (تُحذف بعد 24 ساعة). يرجى البدء من جديد.",
    ),
    ("ANSWER_REQUIRED", "يرجى الإجابة على هذا السؤال."),
    ("UNKNOWN_OPTION", "يرجى اختيار إحدى الإجابات المعروضة."),
    ("OUT_OF_RANGE", "هذه القيمة خارج النطاق المسموح."),
    ("NOT_WHOLE", "يرجى إدخال عدد صحيح."),
    ("TOO_LONG", "إجابتك طويلة جداً."),
    ("DUPLICATE_OPTION", "يمكن إعطاء كل مرتبة مرة واحدة فقط."),
    ("TOO_MANY_OPTIONS", "لقد اخترت إجابات أكثر من المسموح."),
    ("NOT_A_NUMBER", "يرجى إدخال رقم، مثلاً 12 أو 3,5."),
    ("NOT_A_DATE", "يرجى إدخال تاريخ، مثلاً 24.12.2026."),
    (
        "INCOMPLETE",
        "يرجى إدخال الإحداثيين كليهما أو النقر على الخريطة.",
    ),
    ("UNKNOWN_AREA", "هذا المكان ليس ضمن منطقة الاستطلاع."),
    ("NOT_A_POSTCODE", "يرجى إدخال رمز بريدي من خمسة أرقام."),
    (
        "UNKNOWN_POSTCODE",
        "هذا الرمز البريدي لا يتبع أي حي في الاستطلاع. يرجى اختيار حيّك من القائمة.",
    ),
    (
        "AMBIGUOUS_POSTCODE",
        "هذا الرمز البريدي يتبع عدة أحياء. يرجى اختيار حيّك من القائمة.",
    ),
];

pub static UK: SurveyTexts = SurveyTexts {
    point_address: "Або адреса поблизу",
    point_address_hint: "наприклад, „Kalker Hauptstraße 120“. Зберігається лише точка, а не адреса.",
    point_find: "Показати на карті",
    point_find_wait: "Пошук адреси …",
    point_found: "Знайдено, місце позначено: {}",
    list_title: "Опитування",
    language_choose: "Вибрати іншу мову",
    privacy_heading: "Захист даних",
    privacy_default: "Це опитування анонімне. Ми зберігаємо лише ваші відповіді та день, коли ви їх надіслали, – без імені, IP-адреси чи даних пристрою. Результати показуємо лише для груп із кількох осіб, щоб нікого не можна було впізнати.",
    code_label: "Ваш код участі (надрукований у листі)",
    code_hint: "наприклад ABCD-3467",
    start: "Почати опитування",
    resume: "Продовжити",
    questions_count: "запитань",
    until: "до",
    closed_text: "Це опитування більше не приймає відповідей.",
    not_open_text: "Це опитування ще не почалося.",
    already_text: "Ви вже відповіли на це опитування з цього пристрою. Дякуємо!",
    account_text: "Це опитування для мешканців громади, які увійшли в обліковий запис.",
    sign_in: "Увійти",
    step: "Крок",
    of: "з",
    progress_label: "Прогрес",
    required: "обов’язкове запитання",
    optional_note: "Запитання без зірочки можна пропустити.",
    back: "Назад",
    next: "Далі",
    revealed: "Ваша відповідь відкрила додаткові запитання. Будь ласка, перегляньте їх.",
    problems_heading: "Будь ласка, перевірте свої відповіді",
    other_label: "Інше:",
    number_range: "від",
    and: "до",
    choose: "будь ласка, виберіть",
    rank_label: "Місце",
    rank_hint: "Дайте місце 1 найважливішому. Не обов’язково впорядковувати все.",
    point_hint: "Торкніться карти, щоб позначити місце, або введіть координати.",
    point_lat: "Широта",
    point_lon: "Довгота",
    point_coords: "Ввести координати",
    quartier_choose: "Ваш район",
    quartier_map_hint: "Торкніться свого району на карті або виберіть його зі списку.",
    postcode_label: "Або ваш поштовий індекс",
    postcode_hint: "Якщо ви не знаєте свого району, ми визначимо його за поштовим індексом.",
    postcode_several: "Цей поштовий індекс належить до кількох районів. Будь ласка, виберіть свій зі списку.",
    postcode_unknown: "Цей поштовий індекс не належить до жодного району опитування.",
    chars_max: "щонайбільше символів:",
    review_title: "Перевірте свої відповіді",
    review_intro: "Так ваші відповіді буде надіслано. Ви ще можете змінити кожну частину.",
    review_edit: "Змінити",
    no_answer: "без відповіді",
    send: "Надіслати відповіді",
    thanks_title: "Щиро дякуємо!",
    thanks_default: "Ваші відповіді надійшли. Вони допомагають нам зробити район кращим.",
    thanks_results: "Переглянути результати",
    offline_saved: "Немає з’єднання: ваші відповіді збережено на цьому телефоні, їх буде надіслано, щойно ви знову будете онлайн.",
    offline_sent: "Ваші збережені відповіді надіслано. Дякуємо!",
    thanks_link: "Далі",
    send_failed: "Не вдалося надіслати відповіді:",
    final_intro: "Ви переглянули всі запитання. Кнопкою „Назад“ ще можна все змінити. Якщо зараз немає з’єднання, відповіді залишаться на цьому телефоні й будуть надіслані пізніше.",
    ..DE
};

const UK_MESSAGES: &[(&str, &str)] = &[
    ("ADDRESS_UNKNOWN", "Ми не знаємо цієї адреси. Перевірте вулицю та номер будинку або торкніться карти."),
    ("ADDRESS_AMBIGUOUS", "Така адреса є кілька разів. Додайте, будь ласка, поштовий індекс."),
    ("NO_ADDRESS_REGISTER", "Тут не можна шукати адреси. Торкніться, будь ласка, карти."),
    ("LOCATE_FAILED", "Зараз не вдалося знайти адресу. Торкніться, будь ласка, карти."),
    ("SURVEY_NOT_OPEN", "Це опитування ще не почалося."),
    ("SURVEY_CLOSED", "Це опитування завершено, відповіді більше не приймаються."),
    ("CODE_REQUIRED", "Будь ласка, введіть свій код участі."),
    ("CODE_UNKNOWN", "Ми не знаємо такого коду. Будь ласка, перевірте написання."),
    ("CODE_USED", "Цей код уже використано. Кожен код діє лише один раз."),
    ("ALREADY_ANSWERED", "Ви вже відповіли на це опитування з цього пристрою."),
    ("ACCOUNT_REQUIRED", "Будь ласка, увійдіть, щоб узяти участь в опитуванні."),
    ("INVALID_ANSWERS", "Деякі відповіді не підходять. Будь ласка, перевірте позначені запитання."),
    ("DRAFT_MISSING", "Розпочатих відповідей на цьому пристрої вже немає (їх видаляють через 24 години). Будь ласка, почніть знову."),
    ("ANSWER_REQUIRED", "Будь ласка, дайте відповідь на це запитання."),
    ("UNKNOWN_OPTION", "Будь ласка, виберіть одну із запропонованих відповідей."),
    ("OUT_OF_RANGE", "Це значення поза дозволеним діапазоном."),
    ("NOT_WHOLE", "Будь ласка, введіть ціле число."),
    ("TOO_LONG", "Ваша відповідь задовга."),
    ("DUPLICATE_OPTION", "Кожне місце можна дати лише один раз."),
    ("TOO_MANY_OPTIONS", "Ви вибрали більше відповідей, ніж дозволено."),
    ("NOT_A_NUMBER", "Будь ласка, введіть число, наприклад 12 або 3,5."),
    ("NOT_A_DATE", "Будь ласка, введіть дату, наприклад 24.12.2026."),
    ("INCOMPLETE", "Будь ласка, введіть обидві координати або торкніться карти."),
    ("UNKNOWN_AREA", "Це місце не належить до території опитування."),
    ("NOT_A_POSTCODE", "Будь ласка, введіть п’ятизначний поштовий індекс."),
    ("UNKNOWN_POSTCODE", "Цей поштовий індекс не належить до жодного району опитування. Будь ласка, виберіть свій район зі списку."),
    ("AMBIGUOUS_POSTCODE", "Цей поштовий індекс належить до кількох районів. Будь ласка, виберіть свій зі списку."),
];

/// Leichte Sprache: short sentences, one thought each, common words, no passive voice.
pub static LS: SurveyTexts = SurveyTexts {
    point_address: "Oder: Schreiben Sie eine Adresse in der Nähe.",
    point_address_hint: "Zum Beispiel: Kalker Hauptstraße 120. Wir speichern nur den Punkt. Wir speichern nicht die Adresse.",
    point_find: "Auf der Karte zeigen",
    point_find_wait: "Wir suchen die Adresse.",
    point_found: "Wir haben die Adresse gefunden. Der Ort ist jetzt gespeichert: {}",
    language_choose: "Andere Sprache wählen",
    privacy_default: "Die Umfrage ist anonym. Das heißt: Niemand weiß, wer Sie sind. Wir speichern nur Ihre Antworten. Und den Tag, an dem Sie die Antworten schicken. Wir speichern keinen Namen. Und keine Daten von Ihrem Handy. Wir zeigen Ergebnisse nur für Gruppen mit mehreren Menschen. So kann niemand Sie erkennen.",
    code_label: "Ihr Code. Der Code steht in Ihrem Brief.",
    code_hint: "Zum Beispiel: ABCD-3467",
    start: "Umfrage anfangen",
    resume: "Weiter machen",
    closed_text: "Die Umfrage ist vorbei. Sie können nicht mehr antworten.",
    not_open_text: "Die Umfrage hat noch nicht angefangen.",
    already_text: "Sie haben schon geantwortet. Mit diesem Handy. Vielen Dank!",
    account_text: "Diese Umfrage ist nur für Menschen mit Konto. Bitte melden Sie sich an.",
    required: "Diese Frage müssen Sie beantworten.",
    optional_note: "Fragen ohne Stern müssen Sie nicht beantworten.",
    revealed: "Es gibt neue Fragen. Wegen Ihrer Antwort. Bitte lesen Sie die neuen Fragen.",
    problems_heading: "Bitte schauen Sie sich Ihre Antworten noch einmal an.",
    rank_hint: "Was ist am wichtigsten? Geben Sie dafür Platz 1. Sie müssen nicht alles sortieren.",
    point_hint: "Tippen Sie auf die Karte. Dann ist der Ort gespeichert.",
    quartier_map_hint: "Tippen Sie auf Ihr Viertel in der Karte. Oder wählen Sie es aus der Liste.",
    postcode_hint: "Sie kennen Ihr Viertel nicht? Dann schreiben Sie Ihre Postleitzahl.",
    postcode_several: "Zu der Postleitzahl gehören mehrere Viertel. Bitte wählen Sie Ihr Viertel aus der Liste.",
    postcode_unknown: "Die Postleitzahl gehört nicht zu dieser Umfrage.",
    review_title: "Ihre Antworten",
    review_intro: "Das sind Ihre Antworten. Sie können alles noch ändern.",
    send: "Antworten schicken",
    thanks_default: "Wir haben Ihre Antworten bekommen. Ihre Antworten helfen uns. So können wir das Viertel besser machen.",
    offline_saved: "Sie haben gerade kein Internet. Ihre Antworten sind auf dem Handy gespeichert. Wir schicken die Antworten später. Wenn Sie wieder Internet haben.",
    offline_sent: "Wir haben Ihre Antworten geschickt. Vielen Dank!",
    send_failed: "Wir konnten die Antworten nicht schicken:",
    final_intro: "Sie haben alle Fragen gesehen. Sie möchten etwas ändern? Dann drücken Sie auf „Zurück“. Sie haben gerade kein Internet? Dann bleiben die Antworten auf dem Handy. Wir schicken die Antworten später.",
    ..DE
};

const LS_MESSAGES: &[(&str, &str)] = &[
    ("ADDRESS_UNKNOWN", "Wir kennen diese Adresse nicht. Bitte prüfen Sie die Straße und die Haus-Nummer. Oder tippen Sie auf die Karte."),
    ("ADDRESS_AMBIGUOUS", "Diese Adresse gibt es mehr als einmal. Bitte schreiben Sie auch die Post-Leitzahl."),
    ("NO_ADDRESS_REGISTER", "Hier können Sie keine Adresse suchen. Bitte tippen Sie auf die Karte."),
    ("LOCATE_FAILED", "Wir konnten die Adresse gerade nicht suchen. Bitte tippen Sie auf die Karte."),
    ("SURVEY_NOT_OPEN", "Die Umfrage hat noch nicht angefangen."),
    ("SURVEY_CLOSED", "Die Umfrage ist vorbei. Sie können nicht mehr antworten."),
    ("CODE_REQUIRED", "Bitte schreiben Sie Ihren Code. Der Code steht in Ihrem Brief."),
    ("CODE_UNKNOWN", "Wir kennen diesen Code nicht. Bitte schauen Sie noch einmal in den Brief."),
    ("CODE_USED", "Mit diesem Code hat schon jemand geantwortet. Jeden Code gibt es nur einmal."),
    ("ALREADY_ANSWERED", "Sie haben schon geantwortet. Mit diesem Handy."),
    ("ACCOUNT_REQUIRED", "Bitte melden Sie sich an. Dann können Sie mitmachen."),
    ("INVALID_ANSWERS", "Einige Antworten passen nicht. Bitte schauen Sie sich die markierten Fragen an."),
    ("DRAFT_MISSING", "Ihre Antworten sind nicht mehr da. Wir löschen Antworten nach einem Tag. Bitte fangen Sie neu an."),
    ("ANSWER_REQUIRED", "Bitte beantworten Sie diese Frage."),
    ("UNKNOWN_OPTION", "Bitte wählen Sie eine Antwort aus der Liste."),
    ("OUT_OF_RANGE", "Die Zahl ist zu groß oder zu klein."),
    ("NOT_WHOLE", "Bitte schreiben Sie eine Zahl ohne Komma."),
    ("TOO_LONG", "Ihre Antwort ist zu lang. Bitte schreiben Sie weniger."),
    ("DUPLICATE_OPTION", "Jeden Platz dürfen Sie nur einmal geben."),
    ("TOO_MANY_OPTIONS", "Sie haben zu viele Antworten gewählt."),
    ("NOT_A_NUMBER", "Bitte schreiben Sie eine Zahl. Zum Beispiel: 12"),
    ("NOT_A_DATE", "Bitte schreiben Sie ein Datum. Zum Beispiel: 24.12.2026"),
    ("INCOMPLETE", "Bitte tippen Sie auf die Karte."),
    ("UNKNOWN_AREA", "Der Ort gehört nicht zu dieser Umfrage."),
    ("NOT_A_POSTCODE", "Eine Postleitzahl hat 5 Zahlen. Bitte schreiben Sie alle 5 Zahlen."),
    ("UNKNOWN_POSTCODE", "Die Postleitzahl gehört nicht zu dieser Umfrage. Bitte wählen Sie Ihr Viertel aus der Liste."),
    ("AMBIGUOUS_POSTCODE", "Zu der Postleitzahl gehören mehrere Viertel. Bitte wählen Sie Ihr Viertel aus der Liste."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_fall_back_to_german() {
        assert_eq!(texts_for("tr").next, "İleri");
        assert_eq!(texts_for("en-GB").next, "Next");
        assert_eq!(texts_for("de-x-ls").send, "Antworten schicken");
        assert_eq!(texts_for("de-x-ls").next, "Weiter", "not listed: German");
        assert_eq!(texts_for("fa").next, "Weiter", "no platform texts: German");
        assert_eq!(
            texts_for("ar").manage_title,
            super::super::surveys::DE_SURVEYS.manage_title,
            "planner texts stay German"
        );
        assert_eq!(
            message_for("uk", "WRONG_TYPE"),
            message_for("uk", "UNKNOWN_OPTION")
        );
        assert_eq!(message_for("fa", "ANSWER_REQUIRED"), None);
    }

    /// Every language has a message for every answer problem the domain can report.
    #[test]
    fn every_language_knows_every_answer_problem() {
        for tag in ["en", "tr", "ar", "uk", "de-x-ls"] {
            for (code, _) in EN_MESSAGES {
                assert!(message_for(tag, code).is_some(), "{tag} lacks {code}");
            }
        }
    }
}
