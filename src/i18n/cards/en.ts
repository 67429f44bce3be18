import type { LesionLabel } from '@/inference/inference.types';

/** One disease information card, in plain patient language. */
export interface DiseaseCard {
  name: string;
  what: string;
  signs: string;
  treatment: string;
  complications: string;
}

/** English disease cards, rewritten from the project brief (shared/brief/diseases.md). */
export const enCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Actinic keratosis or Bowen’s disease',
    what: 'A rough patch caused by years of sun on the skin. It is an early, surface-only change that can, if left alone, sometimes turn into a skin cancer called squamous cell carcinoma. It is common in older adults with fair skin.',
    signs:
      'A dry, rough, scaly or crusty patch, usually smaller than 2 cm, on skin that gets sun: face, scalp, ears, arms, backs of the hands. It may be pink, red, brown or grey and can feel like sandpaper.',
    treatment:
      'Usually simple: a cream or gel, freezing (cryotherapy), light treatment, or a small operation. A doctor chooses the right one.',
    complications:
      'A minority of these patches slowly become skin cancer, which is why a doctor should check them and treat them early. Sun protection helps prevent new ones.',
  },
  bcc: {
    name: 'Basal cell carcinoma',
    what: 'The most common skin cancer. It grows slowly and almost never spreads to other organs, but if it is not treated it keeps growing into the skin around it.',
    signs:
      'A shiny, pearly or see-through bump, sometimes with small blood vessels; a sore that bleeds, crusts and does not heal; or a flat, scaly red patch or scar-like area. Usually on the face, ears or neck.',
    treatment:
      'Usually removed with a small operation. Scraping and burning, radiotherapy, creams or tablets are other options a doctor may choose.',
    complications:
      'Left untreated it can damage the skin, nerves or nearby structures such as the eye, and it can come back after treatment, so follow-up matters.',
  },
  bkl: {
    name: 'Benign keratosis (for example seborrhoeic keratosis)',
    what: 'A harmless growth of the top layer of the skin, common with age and sun. Not a cancer, but some look like one, so a doctor should confirm it.',
    signs:
      'A brown, black or tan bump that looks waxy or “stuck on” the skin, sometimes rough. It can appear anywhere except palms and soles.',
    treatment:
      'No treatment is needed. If it is irritated, catches on clothes, or bothers you, a doctor can remove it by freezing, scraping or laser.',
    complications:
      'It may become irritated, inflamed or infected after rubbing. The main risk is confusing it with a skin cancer, which is why a doctor’s look helps.',
  },
  df: {
    name: 'Dermatofibroma',
    what: 'A harmless firm lump in the skin, possibly a reaction to a small injury such as an insect bite. It is more common in women.',
    signs:
      'A firm, small (usually under 1 cm) round bump, pink, brown or grey, most often on the lower legs. It dimples inwards when pinched and can be tender or itchy.',
    treatment: 'No treatment is needed. It can be removed by a small operation if it is painful or bothers you.',
    complications:
      'Rarely it gets sore or infected after shaving injuries. It can look like other lumps, so let a doctor confirm it.',
  },
  mel: {
    name: 'Melanoma',
    what: 'The most serious type of skin cancer, starting from the cells that give skin its colour. Found early, it can usually be cured with a simple operation. Found late, it can spread to other parts of the body.',
    signs:
      'A new mole, or a mole that changes. Warning signs (ABCDE): Asymmetry, irregular Border, several Colours, Diameter over 6 mm, and Evolving (changing). It may also itch or bleed. It can be anywhere on the body.',
    treatment:
      'Removal by surgery, with tests to see whether it has spread. Some people need further treatment such as immunotherapy. A specialist plans it.',
    complications:
      'If not treated early it can spread to lymph nodes and organs. This is why a possible melanoma should be seen by a doctor quickly.',
  },
  nv: {
    name: 'Melanocytic nevus (a common mole)',
    what: 'An ordinary mole: a harmless cluster of pigment cells. Almost everyone has some.',
    signs:
      'A small round or oval spot, brown, tan or black, even in colour and shape. It may be flat or raised, and may have hair.',
    treatment: 'No treatment is needed. A doctor can remove one if it looks unusual or bothers you.',
    complications:
      'Very rarely a mole turns into melanoma. See a doctor if a mole changes in size, shape or colour, bleeds or itches.',
  },
  vasc: {
    name: 'Vascular lesion (for example cherry angioma)',
    what: 'A spot made of small blood vessels. Most are harmless, such as cherry angiomas, spider veins or birthmarks.',
    signs: 'A red, purple or blue spot or bump, sometimes with clear edges; it may blanch when pressed.',
    treatment: 'Usually none. If it bleeds often or bothers you, a doctor can treat it, for example with laser.',
    complications:
      'It may bleed if scratched. Rarely one grows fast or affects the eyes or breathing in children: see a doctor then.',
  },
};
