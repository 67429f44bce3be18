import type { LesionLabel } from '@/inference/inference.types';
import type { DiseaseCard } from './en';

/** French disease cards, translated from the English ones (./en.ts). */
export const frCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Kératose actinique ou maladie de Bowen',
    what: 'Une plaque rugueuse causée par des années de soleil sur la peau. C’est un changement précoce, limité à la surface, qui peut parfois, sans traitement, devenir un cancer de la peau appelé carcinome épidermoïde. C’est fréquent chez les personnes âgées à la peau claire.',
    signs:
      'Une plaque sèche, rugueuse, qui pèle ou fait une croûte, en général plus petite que 2 cm, sur la peau exposée au soleil : visage, cuir chevelu, oreilles, bras, dos des mains. Elle peut être rose, rouge, brune ou grise et faire au toucher comme du papier de verre.',
    treatment:
      'En général simple : une crème ou un gel, le froid (cryothérapie), un traitement par la lumière, ou une petite opération. Un médecin choisit le bon traitement.',
    complications:
      'Une petite partie de ces plaques devient lentement un cancer de la peau : c’est pourquoi un médecin doit les vérifier et les traiter tôt. Se protéger du soleil aide à en éviter de nouvelles.',
  },
  bcc: {
    name: 'Carcinome basocellulaire',
    what: 'Le cancer de la peau le plus fréquent. Il grandit lentement et ne se propage presque jamais aux autres organes, mais sans traitement il continue de s’étendre dans la peau autour.',
    signs:
      'Une petite bosse brillante, nacrée ou transparente, parfois avec de petits vaisseaux sanguins ; une plaie qui saigne, fait une croûte et ne guérit pas ; ou une plaque rouge, plate, qui pèle, ou une zone qui ressemble à une cicatrice. En général sur le visage, les oreilles ou le cou.',
    treatment:
      'En général enlevé par une petite opération. Le grattage et la brûlure (curetage et électrocoagulation), la radiothérapie, des crèmes ou des comprimés sont d’autres choix possibles pour le médecin.',
    complications:
      'Sans traitement, il peut abîmer la peau, les nerfs ou des parties proches comme l’œil, et il peut revenir après le traitement : le suivi est donc important.',
  },
  bkl: {
    name: 'Kératose bénigne (par exemple kératose séborrhéique)',
    what: 'Une excroissance sans danger de la couche superficielle de la peau, fréquente avec l’âge et le soleil. Ce n’est pas un cancer, mais certaines y ressemblent : un médecin doit donc le confirmer.',
    signs:
      'Une petite bosse brune, noire ou beige, d’aspect cireux, comme « collée » sur la peau, parfois rugueuse. Elle peut apparaître partout, sauf sur les paumes des mains et les plantes des pieds.',
    treatment:
      'Aucun traitement n’est nécessaire. Si elle est irritée, accroche les vêtements ou vous gêne, un médecin peut l’enlever par le froid, par grattage ou au laser.',
    complications:
      'Elle peut s’irriter, s’enflammer ou s’infecter après un frottement. Le risque principal est de la confondre avec un cancer de la peau : c’est pourquoi l’avis d’un médecin est utile.',
  },
  df: {
    name: 'Dermatofibrome',
    what: 'Une petite boule ferme et sans danger dans la peau, peut-être une réaction à une petite blessure comme une piqûre d’insecte. C’est plus fréquent chez les femmes.',
    signs:
      'Une petite bosse ronde et ferme (en général moins de 1 cm), rose, brune ou grise, le plus souvent sur le bas des jambes. Quand on la pince, elle se creuse vers l’intérieur. Elle peut être sensible ou démanger.',
    treatment: 'Aucun traitement n’est nécessaire. On peut l’enlever par une petite opération si elle fait mal ou vous gêne.',
    complications:
      'Rarement, elle devient douloureuse ou s’infecte après une coupure en se rasant. Elle peut ressembler à d’autres boules : laissez un médecin le confirmer.',
  },
  mel: {
    name: 'Mélanome',
    what: 'Le type de cancer de la peau le plus grave. Il part des cellules qui donnent sa couleur à la peau. Trouvé tôt, on peut en général le guérir par une opération simple. Trouvé tard, il peut se propager à d’autres parties du corps.',
    signs:
      'Un nouveau grain de beauté, ou un grain de beauté qui change. Signes d’alerte (ABCDE) : Asymétrie, Bords irréguliers, plusieurs Couleurs, Diamètre de plus de 6 mm, Évolution (il change). Il peut aussi démanger ou saigner. Il peut se trouver n’importe où sur le corps.',
    treatment:
      'Il est enlevé par une opération, avec des examens pour voir s’il s’est propagé. Certaines personnes ont besoin d’un autre traitement, comme l’immunothérapie. Un spécialiste organise le traitement.',
    complications:
      'S’il n’est pas traité tôt, il peut se propager aux ganglions et aux organes. C’est pourquoi un possible mélanome doit être vu rapidement par un médecin.',
  },
  nv: {
    name: 'Nævus mélanocytaire (grain de beauté ordinaire)',
    what: 'Un grain de beauté ordinaire : un petit groupe de cellules de pigment, sans danger. Presque tout le monde en a.',
    signs:
      'Une petite tache ronde ou ovale, brune, beige ou noire, de couleur et de forme régulières. Elle peut être plate ou en relief, et peut avoir des poils.',
    treatment: 'Aucun traitement n’est nécessaire. Un médecin peut l’enlever s’il a un aspect inhabituel ou s’il vous gêne.',
    complications:
      'Très rarement, un grain de beauté devient un mélanome. Allez voir un médecin si un grain de beauté change de taille, de forme ou de couleur, saigne ou démange.',
  },
  vasc: {
    name: 'Lésion vasculaire (par exemple angiome rubis)',
    what: 'Une tache faite de petits vaisseaux sanguins. La plupart sont sans danger, comme les angiomes rubis (points rouges), les petites varicosités (« araignées vasculaires ») ou les taches de naissance.',
    signs:
      'Une tache ou une petite bosse rouge, violette ou bleue, parfois aux bords nets ; elle peut pâlir quand on appuie dessus.',
    treatment: 'En général aucun. Si elle saigne souvent ou vous gêne, un médecin peut la traiter, par exemple au laser.',
    complications:
      'Elle peut saigner si on la gratte. Rarement, chez l’enfant, une tache grandit vite ou touche les yeux ou la respiration : il faut alors voir un médecin.',
  },
};
