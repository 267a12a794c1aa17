
import pytest

from scoring.facts.language import SUPPORTED_LANGUAGES, detect_language, normalize_lang

SAMPLES = {
    "en": (
        "High blood pressure often has no symptoms, which is why it is sometimes called a silent "
        "killer. The only way to know whether you have it is to have your blood pressure checked "
        "by a nurse or a doctor."
    ),
    "fr": (
        "L'hypertension artérielle ne provoque souvent aucun symptôme, c'est pourquoi on l'appelle "
        "parfois le tueur silencieux. La seule façon de savoir si vous en souffrez est de faire "
        "mesurer votre tension par un médecin."
    ),
    "de": (
        "Bluthochdruck verursacht oft keine Beschwerden, weshalb er manchmal als stiller Killer "
        "bezeichnet wird. Die einzige Möglichkeit, ihn festzustellen, ist eine Messung des "
        "Blutdrucks beim Arzt oder in der Apotheke."
    ),
    "es": (
        "La presión arterial alta a menudo no causa síntomas, por eso a veces se la llama el "
        "asesino silencioso. La única forma de saber si usted la tiene es medirse la presión con "
        "un médico o una enfermera."
    ),
    "it": (
        "La pressione alta spesso non dà sintomi, per questo viene talvolta chiamata il killer "
        "silenzioso. L'unico modo per sapere se ne soffri è farti misurare la pressione dal medico "
        "o in farmacia."
    ),
    "nl": (
        "Een hoge bloeddruk geeft vaak geen klachten, daarom wordt het soms een stille moordenaar "
        "genoemd. De enige manier om te weten of u het heeft, is door uw bloeddruk te laten meten "
        "bij de huisarts."
    ),
    "pt": (
        "A pressão arterial alta muitas vezes não causa sintomas, por isso às vezes é chamada de "
        "assassina silenciosa. A única forma de saber se você tem é medir a pressão com um médico "
        "ou enfermeiro."
    ),
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_detects_short_health_paragraphs(lang):
    code, confidence = detect_language(SAMPLES[lang])
    assert code == lang
    assert 0.5 <= confidence <= 1.0


def test_all_samples_languages_are_supported():
    assert set(SAMPLES) <= set(SUPPORTED_LANGUAGES)


def test_too_short_text_gives_none():
    assert detect_language("The cat sat on the mat.") == (None, 0.0)
    assert detect_language("") == (None, 0.0)
    assert detect_language("   \n ") == (None, 0.0)


def test_text_without_function_words_gives_none():
    numbers = " ".join(["xyzzy qwrt 12 34"] * 10)
    assert detect_language(numbers) == (None, 0.0)


def test_unsupported_language_has_low_confidence():
    finnish = (
        "Korkea verenpaine ei usein aiheuta oireita, minkä vuoksi sitä kutsutaan joskus hiljaiseksi "
        "tappajaksi. Ainoa tapa tietää, onko sinulla sitä, on mittauttaa verenpaine lääkärillä tai "
        "sairaanhoitajalla."
    )
    code, confidence = detect_language(finnish)
    assert code is None or confidence < 0.5


def test_mixed_text_follows_the_majority():
    text = SAMPLES["fr"] + " " + SAMPLES["fr"] + " Source: NHS, high blood pressure."
    assert detect_language(text)[0] == "fr"


def test_only_the_start_of_a_long_text_is_sampled():
    # 3,000 English words followed by 3,000 German ones: the start decides.
    text = " ".join([SAMPLES["en"]] * 80 + [SAMPLES["de"]] * 100)
    assert detect_language(text)[0] == "en"


def test_5000_words_are_read_and_detected():
    text = " ".join([SAMPLES["en"]] * 130)
    assert len(text.split()) >= 5000
    assert detect_language(text)[0] == "en"  # speed lives in bench/audit_speed.py


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en-US", "en"),
        ("fr_FR", "fr"),
        ("FR", "fr"),
        (" de-DE ", "de"),
        ("pt-BR", "pt"),
        ("zh-Hans-CN", "zh"),
        ("fra", "fr"),
        ("eng", "en"),
        ("iw", "he"),
        ("es-419", "es"),
    ],
)
def test_normalize_lang(tag, expected):
    assert normalize_lang(tag) == expected


@pytest.mark.parametrize("tag", [None, "", "  ", "x-default", "*", "123", "english", "e", "haw"])
def test_normalize_lang_rejects_invalid(tag):
    assert normalize_lang(tag) is None
