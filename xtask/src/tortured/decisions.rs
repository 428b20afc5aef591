//! Readings of individual PPS entries that no general rule gets right, decided
//! one by one and kept here so each decision is visible and reviewable.
//!
//! A reading applies only while the source still says exactly what it was
//! written against: if the data changes, the entry falls back to the general
//! rules (and the in-step test shows the difference).

/// How one correction is read, decided by hand.
#[derive(Debug, Clone, Copy)]
pub struct CorrectionReading {
    /// The artifact's key (lower-case words, see [`super::correction::key`]).
    pub artifact: &'static str,
    /// The correction as the source writes it (whitespace collapsed, escapes
    /// removed); compared ignoring case.
    pub source: &'static str,
    /// The originals, `|`-separated, best first.
    pub originals: &'static str,
    /// The original is a guess.
    pub uncertain: bool,
}

const fn reading(
    artifact: &'static str,
    source: &'static str,
    originals: &'static str,
) -> CorrectionReading {
    CorrectionReading {
        artifact,
        source,
        originals,
        uncertain: false,
    }
}

const fn guess(
    artifact: &'static str,
    source: &'static str,
    originals: &'static str,
) -> CorrectionReading {
    CorrectionReading {
        artifact,
        source,
        originals,
        uncertain: true,
    }
}

/// Corrections written as notes or lists rather than as the replaced text.
pub const CORRECTION_READINGS: &[CorrectionReading] = &[
    reading(
        "a mind boggling want",
        "an incredible/ a staggering need",
        "an incredible need|a staggering need",
    ),
    // A definition rather than the replaced words: kept as a suggestion only.
    guess(
        "antigermicidal agent",
        "agent that has an activity opposed to killing germs",
        "agent that has an activity opposed to killing germs",
    ),
    reading(
        "anticipate protest esteems",
        "?? (\"predict object(?) values\"?)",
        "predict object values",
    ),
    reading(
        "area unit",
        "The word ‘are’ as in the conjugated verb ‘be’, see https://pubpeer.com/publications/57C388D664E1F25E918F2D2CE623D5#2",
        "are",
    ),
    reading(
        "associate in nursing",
        "paraphrased versions of the words ‘an’ and ‘are’ (see https://pubpeer.com/publications/38119B560544003CFD49520629BEEC)",
        "an",
    ),
    reading("bit per image bpp", "bits par pixel (bpp)", "bits per pixel (BPP)"),
    guess(
        "conformist adsorbent",
        "previously studied / routinely used adsorbents (?)",
        "previously studied adsorbents|routinely used adsorbents",
    ),
    // The phrase list gives the plural for the singular artifact; the query's
    // plural "graphs (DAGs)" belongs to the plural artifact.
    reading(
        "coordinated non cyclic diagram",
        "directed acyclic graphs (DAGs)",
        "directed acyclic graph",
    ),
    // The second query's correction also names the original of its condition.
    reading("down testing", "downsampling, upsampling", "downsampling"),
    reading(
        "furious nanoparticle",
        "meaning unclear, see https://pubpeer.com/publications/D6459EF8B2A77D0B989C9D2B5ECC26",
        "",
    ),
    reading(
        "gas and mass spectroscopy",
        "gas chromatography/mass spectrometry (GC/MS)",
        "gas chromatography/mass spectrometry",
    ),
    reading(
        "hydrofluoric corrosive",
        "hydrofluoric acid or hydrogen fluoride",
        "hydrofluoric acid|hydrogen fluoride",
    ),
    reading("in rundown this", "in summary, this study examines...", "in summary, this"),
    reading(
        "individuals republic of china",
        "People's Republic of China",
        "People's Republic of China",
    ),
    reading(
        "into the combination",
        "into (reaction) mixture",
        "into the mixture|into the reaction mixture",
    ),
    // A thesaurus gives "Isaac Newton" for "Newton": the name was spun too.
    reading("isaac newton s subsequent law", "Newton's second law states", "Newton's second law"),
    reading("mobileular", "Search and replace of cell -> mobile", "cellular"),
    // The artifact is a word fragment ("fi" spun as "wireless"), so is the original.
    guess("modiwiwireless", "modifi", "modifi"),
    // The artifact keeps the writer's commas.
    reading("modern york ny usa", "New York NY USA", "New York, NY, USA"),
    reading(
        "nano helped gadget",
        "nanotechnology or nanotech device",
        "nanotechnology device|nanotech device",
    ),
    // The phrase list is lower case; the acronym is the writer's.
    reading(
        "non administrative associations ngos",
        "non-governmental organizations (ngos)",
        "non-governmental organizations (NGOs)",
    ),
    reading(
        "normal article in setting",
        "Microsoft COCO: Common Objects In Context",
        "Common Objects in Context",
    ),
    reading(
        "oxidative or electrical stretch",
        "Oxidative Stress or Mechanical Stress",
        "oxidative or mechanical stress",
    ),
    reading(
        "personality of a plant pathogen",
        "nature of a plant pathogen or nature of plant–pathogen (interactions)",
        "nature of a plant pathogen",
    ),
    reading(
        "programmed teller machines atms",
        "automatic teller machines (atms)",
        "automatic teller machines (ATMs)",
    ),
    reading("redressed straight unit", "rectified linear unit, ReLU", "rectified linear unit"),
    reading("renal disappointment", "renal or kidney failure", "renal failure|kidney failure"),
    // "Storage/Retrieval": the artifact keeps the writer's "and".
    reading(
        "robotized capacity and recovery frameworks",
        "Automated Storage/Retrieval Systems (AS/RS)",
        "automated storage and retrieval systems",
    ),
    reading("sans no lunch hypotheses", "\"No Free Lunch\" theorem", "no free lunch theorem"),
    reading(
        "signing acknowledgment",
        "signing / sign language recognition",
        "sign language recognition|signing recognition",
    ),
    reading(
        "speed assortment",
        "volume, *velocity, variety*, and veracity (Four Vs)",
        "velocity, variety",
    ),
    reading(
        "stochastic effects by regression analysis on populace affluence economic activity and technology",
        "stochastic impacts by regression on population, affluence, and technology (stirpat)",
        "stochastic impacts by regression on population, affluence, and technology",
    ),
    reading(
        "structural pitch",
        "structure, structural features",
        "structural features|structure",
    ),
    guess("well concurred", "is in accord, correlates", "is in accord|correlates"),
];

/// The hand-made reading of `correction` for the artifact with key `artifact`.
pub fn correction_reading(artifact: &str, correction: &str) -> Option<&'static CorrectionReading> {
    CORRECTION_READINGS.iter().find(|r| {
        r.artifact == artifact
            && super::correction::normalize_text(r.source).to_lowercase()
                == correction.to_lowercase()
    })
}

/// Misspellings in the corrections, fixed only where the intended word is
/// beyond doubt.
const TYPOS: &[(&str, &str)] = &[
    ("assocated", "associated"),
    ("boltzman", "Boltzmann"),
    ("composent", "component"),
    ("consine", "cosine"),
    ("consuption", "consumption"),
    ("continious", "continuous"),
    ("countinuous", "continuous"),
    ("discrite", "discrete"),
    ("effet", "effect"),
    ("entrooy", "entropy"),
    ("enviroment", "environment"),
    ("forecastingc", "forecasting"),
    ("fruxtose", "fructose"),
    ("fuction", "function"),
    ("gradiant", "gradient"),
    ("gradiants", "gradients"),
    ("illneses", "illnesses"),
    ("mamography", "mammography"),
    ("minin", "mining"),
    ("netwok", "network"),
    ("ocurrence", "occurrence"),
    ("opeerator", "operator"),
    ("particule", "particle"),
    ("polyphormism", "polymorphism"),
    ("preprocesing", "preprocessing"),
    ("rythm", "rhythm"),
    ("squarred", "squared"),
    ("supression", "suppression"),
    ("tesselation", "tessellation"),
    ("unbiaised", "unbiased"),
    ("unknow", "unknown"),
    ("valiadation", "validation"),
];

/// `text` with the words of [`TYPOS`] corrected (a capital first letter is kept).
pub fn fix_typos(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for w in unspun::text::words(text) {
        out.push_str(&text[last..w.start]);
        let lower = w.text.to_lowercase();
        match TYPOS.iter().find(|(wrong, _)| *wrong == lower) {
            Some((_, right)) if w.is_capitalized() => {
                let mut chars = right.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            }
            Some((_, right)) => out.push_str(right),
            None => out.push_str(w.text),
        }
        last = w.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Proper names found in the corrections that keep their capital wherever the
/// source writes one ("naïve Bayes", "Fourier transform", "European Union").
const PROPER_NAMES: &[&str] = &[
    "Ada",
    "Adam",
    "Africa",
    "African",
    "Akaike",
    "Alf",
    "Alzheimer",
    "American",
    "Anaconda",
    "Anderson",
    "Android",
    "Apache",
    "Apriori",
    "Arnold",
    "Arrhenius",
    "Asia",
    "Asian",
    "Atlantic",
    "Azure",
    "Bayes",
    "Bayesian",
    "Bcl",
    "Behnken",
    "Bergh",
    "Bernard",
    "Bernoulli",
    "Bessel",
    "Bhattacharyya",
    "Blu",
    "Bluetooth",
    "Bohr",
    "Boltzmann",
    "Boolean",
    "Boston",
    "Bragg",
    "Brinkman",
    "British",
    "Bronsted",
    "Brownian",
    "Bush",
    "Butterworth",
    "Byzantine",
    "Canadian",
    "Caspian",
    "Chebyshev",
    "Chemica",
    "China",
    "Chinese",
    "Clarivate",
    "Crick",
    "Crohn",
    "Curie",
    "Darcy",
    "Dell",
    "Diffie",
    "Dirac",
    "Dirichlet",
    "Doppler",
    "Dow",
    "Dulbecco",
    "Eagle",
    "Eckert",
    "England",
    "English",
    "Euclidean",
    "Euler",
    "Europe",
    "European",
    "Florida",
    "Fluka",
    "Fourier",
    "Gabor",
    "Gaussian",
    "George",
    "German",
    "Gibbs",
    "Gini",
    "Golgi",
    "Google",
    "Grashof",
    "Gutenberg",
    "Hadamard",
    "Hadoop",
    "Hahn",
    "Hamming",
    "Hann",
    "Hartmann",
    "Hellman",
    "Helsinki",
    "Henon",
    "Hilbert",
    "Holt",
    "Hough",
    "Huang",
    "Huntington",
    "Hurst",
    "Hénon",
    "India",
    "Intel",
    "Iran",
    "Irish",
    "Jahn",
    "January",
    "Jenkins",
    "Jones",
    "Joule",
    "Jupyter",
    "Kaiser",
    "Kalman",
    "Kelvin",
    "Keras",
    "Knudsen",
    "Krasovskii",
    "Kullback",
    "Kutta",
    "Kuznets",
    "Lagrange",
    "Lagrangian",
    "Laplace",
    "Laplacian",
    "Legendre",
    "Leibler",
    "Lewis",
    "Lewy",
    "Linux",
    "Lobatto",
    "Louis",
    "Lovelace",
    "Lyapunov",
    "Lyme",
    "Mahalanobis",
    "Manhattan",
    "Markov",
    "Mastercard",
    "Medicaid",
    "Medicare",
    "Microsoft",
    "Mitt",
    "Navier",
    "Newton",
    "Newtonian",
    "Nusselt",
    "Pacific",
    "Palestine",
    "Panama",
    "Parkinson",
    "Pasteur",
    "Pearson",
    "Pochhammer",
    "Poisson",
    "Prandtl",
    "Rayleigh",
    "Reynolds",
    "Rician",
    "Romney",
    "Rosseland",
    "Runge",
    "Santa",
    "Shapley",
    "Solaris",
    "Spanish",
    "Stefan",
    "Stokes",
    "Swiss",
    "Tamura",
    "Teager",
    "Timoshenko",
    "Tucker",
    "Vegard",
    "Venturi",
    "Vienna",
    "Vineland",
    "Viterbi",
    "Voronoi",
    "Waals",
    "Waikoloa",
    "Wasserstein",
    "Watson",
    "Wiener",
    "Wilcoxon",
    "Wisconsin",
    "Youtube",
];

/// Names that are also ordinary words ("Hall effect", "Box-Jenkins"): they keep
/// their capital only where the source capitalises them outside Title Case.
const NAMES_THAT_ARE_WORDS: &[&str] = &[
    "Amazon", "Apple", "Baker", "Bell", "Box", "Brown", "Canny", "Excel", "F", "Hall", "Java",
    "March", "Oracle", "Python", "Radon", "Sherwood", "Siamese", "Sybil", "Taylor", "Trojan",
    "Visa", "Walsh", "Windows", "Winters", "Young",
];

/// True for a word of [`PROPER_NAMES`], written with its capital.
pub fn is_proper_name(word: &str) -> bool {
    PROPER_NAMES.contains(&word)
}

/// True for a word of [`NAMES_THAT_ARE_WORDS`], written with its capital.
pub fn is_name_or_word(word: &str) -> bool {
    NAMES_THAT_ARE_WORDS.contains(&word)
}

/// The forms a wildcard condition stands for. A dictionary condition is a plain
/// phrase (the checker adds inflections itself), so each wildcard is spelled
/// out as the words papers of the field use.
pub fn wildcard_forms(wildcard: &str) -> Option<&'static [&'static str]> {
    match wildcard {
        "optimiz*" => Some(&[
            "optimization",
            "optimize",
            "optimizer",
            "optimizing",
            "optimized",
        ]),
        "hear*" => Some(&["hearing", "hear", "heard"]),
        _ => None,
    }
}
