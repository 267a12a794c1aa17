import json
import random

import pytest

from scoring.facts.readability import count_syllables, readability, split_sentences, split_words

SIMPLE_EN = "The cat sat on the mat. The dog ran to the park. We had fun in the sun."
DENSE_EN = (
    "Hypertension is a chronic cardiovascular condition characterized by persistently elevated "
    "arterial blood pressure, substantially increasing the probability of myocardial infarction, "
    "cerebrovascular accidents, and progressive renal insufficiency."
)
MEDIUM_EN = (
    "High blood pressure rarely has symptoms. Having it checked regularly is the only way to "
    "know whether your treatment is working. Your doctor can suggest changes to your diet."
)
SIMPLE_FR = "Le chat dort. Il fait beau. Je bois du lait. Le chien joue dans le jardin."
DENSE_FR = (
    "L'hypertension artérielle constitue une pathologie cardiovasculaire chronique caractérisée "
    "par une élévation persistante de la pression artérielle systémique, augmentant "
    "considérablement la probabilité d'infarctus du myocarde et d'insuffisance rénale progressive."
)

# --------------------------------------------------------------------------------------
# Flesch (English)
# --------------------------------------------------------------------------------------


def test_flesch_on_very_simple_english_matches_formula():
    # 6 one-syllable words, 1 sentence:
    # 206.835 - 1.015 * 6 - 84.6 * 1.0 = 116.1; 0.39 * 6 + 11.8 - 15.59 = -1.45
    result = readability(["The cat sat on the mat."], "en")
    assert result["sentences"] == 1
    assert result["words"] == 6
    assert result["flesch_reading_ease"] == pytest.approx(116.1)
    assert result["flesch_kincaid_grade"] == pytest.approx(-1.45, abs=0.051)


def test_flesch_known_two_sentence_value():
    # "The cat sat on the mat. The dog ran." 9 words, 2 sentences, 9 syllables:
    # 206.835 - 1.015 * 4.5 - 84.6 = 117.7
    result = readability(["The cat sat on the mat. The dog ran."], "en")
    assert result["flesch_reading_ease"] == pytest.approx(117.7)


def test_flesch_orders_simple_medium_dense():
    simple = readability([SIMPLE_EN], "en")
    medium = readability([MEDIUM_EN], "en")
    dense = readability([DENSE_EN], "en")
    assert simple["flesch_reading_ease"] > 90
    assert 30 < medium["flesch_reading_ease"] < 90
    assert dense["flesch_reading_ease"] < 10
    assert simple["flesch_kincaid_grade"] < 3
    assert dense["flesch_kincaid_grade"] > 16
    assert simple["flesch_kincaid_grade"] < medium["flesch_kincaid_grade"] < dense["flesch_kincaid_grade"]


def test_english_report_has_no_french_metric():
    result = readability([SIMPLE_EN], "en-GB")
    assert result["language"] == "en"
    assert result["kandel_moles"] is None
    assert result["lix"] is not None


# --------------------------------------------------------------------------------------
# Kandel-Moles (French)
# --------------------------------------------------------------------------------------


def test_kandel_moles_matches_formula_on_simple_french():
    # 4 sentences, 16 words, 17 syllables ("jardin" has 2):
    # 207 - 1.015 * 4 - 73.6 * 17 / 16 = 124.7
    result = readability([SIMPLE_FR], "fr")
    assert result["language"] == "fr"
    assert result["sentences"] == 4
    assert result["words"] == 16
    assert result["kandel_moles"] == pytest.approx(124.7)


def test_kandel_moles_simple_beats_dense():
    simple = readability([SIMPLE_FR], "fr")
    dense = readability([DENSE_FR], "fr-FR")
    assert simple["kandel_moles"] > 100
    assert dense["kandel_moles"] < 20
    assert dense["flesch_reading_ease"] is None
    assert dense["flesch_kincaid_grade"] is None


# --------------------------------------------------------------------------------------
# Structure metrics, LIX, language choice, output shape
# --------------------------------------------------------------------------------------


def test_sentence_and_paragraph_statistics():
    long_sentence = "Many " + " ".join(["words"] * 24) + "."
    short_sentence = "This one is short."
    long_paragraph = " ".join([long_sentence] * 7)  # 175 words
    result = readability([long_paragraph, short_sentence], "en")
    assert result["sentences"] == 8
    assert result["words"] == 179
    assert result["avg_sentence_length"] == pytest.approx(22.4)
    assert result["avg_paragraph_length"] == pytest.approx(89.5)
    assert result["long_sentence_share"] == pytest.approx(0.88)
    assert result["long_paragraphs"] == 1


def test_sentence_of_exactly_20_words_is_not_long():
    result = readability([" ".join(["Word"] * 20) + "."], "en")
    assert result["long_sentence_share"] == 0.0


def test_lix_formula():
    # 2 sentences, 7 words, 2 longer than 6 letters ("children", "vitamins"):
    # 7 / 2 + 100 * 2 / 7 = 32.1
    result = readability(["Small children need vitamins. They grow fast."], "de")
    assert result["lix"] == pytest.approx(32.1)
    assert result["flesch_reading_ease"] is None
    assert result["kandel_moles"] is None


def test_language_is_detected_when_not_given():
    result = readability([DENSE_FR, SIMPLE_FR], None)
    assert result["language"] == "fr"
    assert result["language_source"] == "detected"
    assert result["kandel_moles"] is not None


def test_content_language_wins_over_a_wrong_declaration():
    french = [DENSE_FR, "Le patient doit prendre son traitement chaque jour et consulter son médecin."]
    result = readability(french, "en")
    assert result["language"] == "fr"
    assert result["language_source"] == "detected"
    assert result["flesch_reading_ease"] is None


def test_declared_language_kept_when_text_is_too_short_to_judge():
    result = readability(["Le chat dort."], "fr")
    assert result["language"] == "fr"
    assert result["language_source"] == "declared"


def test_empty_input():
    result = readability([], None)
    assert result["words"] == 0
    assert result["sentences"] == 0
    assert result["language"] is None
    assert result["flesch_reading_ease"] is None
    assert result["lix"] is None
    assert result["avg_sentence_length"] is None
    assert readability(["", "   "], "en")["words"] == 0


def test_result_is_json_serialisable_and_rounded():
    result = readability([MEDIUM_EN, DENSE_EN], "en")
    assert json.loads(json.dumps(result)) == result
    for key in ("avg_sentence_length", "flesch_reading_ease", "flesch_kincaid_grade", "lix"):
        assert round(result[key], 1) == result[key]
    assert set(result) >= {
        "language",
        "sentences",
        "words",
        "avg_sentence_length",
        "avg_paragraph_length",
        "long_sentence_share",
        "long_paragraphs",
        "flesch_reading_ease",
        "flesch_kincaid_grade",
        "kandel_moles",
        "lix",
    }


def test_a_3000_word_article_is_scored():
    paragraphs = [MEDIUM_EN + " " + DENSE_EN + " " + SIMPLE_EN] * 45
    result = readability(paragraphs, "en")
    assert result["words"] >= 3000
    assert result == readability(paragraphs, "en")  # speed lives in bench/audit_speed.py


# --------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Smith prescribed 3.5 mg of drug X. The patient improved. Mr. Jones did not.",
            ["Dr. Smith prescribed 3.5 mg of drug X.", "The patient improved.", "Mr. Jones did not."],
        ),
        (
            "Eat more fibre, e.g. beans and oats. It helps, i.e. it lowers cholesterol. See Fig. 3.",
            ["Eat more fibre, e.g. beans and oats.", "It helps, i.e. it lowers cholesterol.", "See Fig. 3."],
        ),
        (
            "Avoid sugar, salt, etc. Then rest. Fruit, nuts, etc. are fine.",
            ["Avoid sugar, salt, etc.", "Then rest.", "Fruit, nuts, etc. are fine."],
        ),
        (
            "Wait... then call us. He paused… Then he left. Really?! Yes!",
            ["Wait... then call us.", "He paused…", "Then he left.", "Really?!", "Yes!"],
        ),
        (
            "Take vitamin D. It helps. J. K. Rowling and John F. Kennedy agree.",
            ["Take vitamin D.", "It helps.", "J. K. Rowling and John F. Kennedy agree."],
        ),
        (
            "Smith et al. (2019) found this. Visit www.nhs.uk for more. Call at 5 p.m. Tomorrow works.",
            ["Smith et al. (2019) found this.", "Visit www.nhs.uk for more.", "Call at 5 p.m.", "Tomorrow works."],
        ),
        (
            'He said "stop." Then he left. (This is an aside.) Next.',
            ['He said "stop."', "Then he left.", "(This is an aside.)", "Next."],
        ),
        (
            "The U.S. Food and Drug Administration approved it. It is sold in the U.S. The price is high.",
            ["The U.S. Food and Drug Administration approved it.", "It is sold in the U.S.", "The price is high."],
        ),
    ],
)
def test_split_sentences_english(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "M. Dupont a vu le Pr. Martin. Il va mieux. Mme Durand aussi.",
            ["M. Dupont a vu le Pr. Martin.", "Il va mieux.", "Mme Durand aussi."],
        ),
        (
            "Mangez des fruits, p. ex. des pommes. C'est simple. Le Dr. Martin confirme.",
            ["Mangez des fruits, p. ex. des pommes.", "C'est simple.", "Le Dr. Martin confirme."],
        ),
        (
            "Vraiment ? Oui ! « Est-ce grave ? » Non. Il faut 2,5 mg ou 2.5 mg par jour.",
            ["Vraiment ?", "Oui !", "« Est-ce grave ? »", "Non.", "Il faut 2,5 mg ou 2.5 mg par jour."],
        ),
        (
            "Voir p. 12 du guide. Le traitement dure env. 10 jours… Ensuite, on arrête.",
            ["Voir p. 12 du guide.", "Le traitement dure env. 10 jours…", "Ensuite, on arrête."],
        ),
    ],
)
def test_split_sentences_french(text, expected):
    assert split_sentences(text) == expected


def test_split_sentences_edge_cases():
    assert split_sentences("") == []
    assert split_sentences("...") == []
    assert split_sentences("No final stop") == ["No final stop"]
    assert split_sentences("First block\n\nSecond block") == ["First block", "Second block"]
    # Line wrapping inside a sentence is not a break, and whitespace is normalised.
    assert split_sentences("A sentence\nwrapped   here. Next.") == ["A sentence wrapped here.", "Next."]


def test_counts_match_split_sentences_and_split_words():
    # readability counts the words of raw sentence pieces; split_sentences tidies and filters them first.
    rng = random.Random(11)
    parts = ["Dr.", "e.g.", "word", "Mot", "3.5", "l'eau", "well-being", "...", "?", "!", "»", "—", ". ", "\n\n", "  "]
    texts = ["".join(rng.choice(parts) + rng.choice(["", " "]) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    for text in texts:
        sentences = [words for words in map(split_words, split_sentences(text)) if words]
        result = readability([text], "en")
        assert result["sentences"] == len(sentences), text
        assert result["words"] == sum(map(len, sentences)), text


def test_split_words_keeps_numbers_and_compounds():
    assert split_words("Take 2.5 mg of COVID-19 well-being, don't l'homme!") == [
        "Take",
        "2.5",
        "mg",
        "of",
        "COVID-19",
        "well-being",
        "don't",
        "l'homme",
    ]


# --------------------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cat", 1),
        ("table", 2),
        ("Diabetes", 4),
        ("medication", 4),
        ("hypertension", 4),
        ("beautiful", 3),
        ("patient's", 2),
        ("well-being", 3),
        ("2019", 1),
        # Not in cmudict: rule-based fallback.
        ("hypercholesterolemia", 9),
        ("osteoporosis", 6),
        ("dyslipidemia", 6),
        ("anemia", 4),
        ("organism", 4),
    ],
)
def test_english_syllables(word, expected):
    assert count_syllables(word, "en") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("maison", 2),
        ("table", 1),
        ("tables", 1),
        ("médecin", 3),
        ("santé", 2),
        ("hôpital", 3),
        ("oiseau", 2),
        ("maladie", 3),
        ("pratique", 2),
        ("maïs", 2),
        ("cœur", 1),
        ("l'homme", 1),
        ("aujourd'hui", 3),
        # "-ent": silent verb ending vs pronounced in nouns/adjectives/adverbs.
        ("mangent", 1),
        ("parlent", 1),
        ("utilisent", 3),
        ("moment", 2),
        ("traitement", 3),
        ("patient", 2),
        ("souvent", 2),
        ("fréquent", 2),
    ],
)
def test_french_syllables(word, expected):
    assert count_syllables(word, "fr") == expected


def test_syllables_minimum_one_and_language_tags():
    assert count_syllables("y", "fr") == 1
    assert count_syllables("brr", "en") == 1
    assert count_syllables("", "en") == 1
    assert count_syllables("maison", "fr-CA") == 2
    assert count_syllables("banana", "es") == 3  # other languages: vowel groups
