import type { LesionLabel } from '@/inference/inference.types';
import type { DiseaseCard } from './en';

/** Spanish disease cards, translated from the English ones (./en.ts). */
export const esCards: Record<LesionLabel, DiseaseCard> = {
  akiec: {
    name: 'Queratosis actínica o enfermedad de Bowen',
    what: 'Una zona áspera causada por muchos años de sol en la piel. Es un cambio temprano, solo en la superficie, que a veces, si no se trata, puede convertirse en un cáncer de piel llamado carcinoma de células escamosas (carcinoma epidermoide). Es frecuente en personas mayores de piel clara.',
    signs:
      'Una zona seca, áspera, con escamas o costra, por lo general de menos de 2 cm, en piel que recibe sol: cara, cuero cabelludo, orejas, brazos, dorso de las manos. Puede ser rosada, roja, marrón o gris y al tocarla se siente como papel de lija.',
    treatment:
      'Por lo general es sencillo: una crema o un gel, congelación (crioterapia), tratamiento con luz o una pequeña operación. Un médico elige el adecuado.',
    complications:
      'Una pequeña parte de estas zonas se convierte lentamente en cáncer de piel; por eso un médico debe revisarlas y tratarlas pronto. Protegerse del sol ayuda a evitar que salgan nuevas.',
  },
  bcc: {
    name: 'Carcinoma basocelular',
    what: 'El cáncer de piel más frecuente. Crece despacio y casi nunca se extiende a otros órganos, pero si no se trata sigue creciendo en la piel de alrededor.',
    signs:
      'Un bulto brillante, nacarado (como perla) o transparente, a veces con pequeños vasos sanguíneos; una herida que sangra, hace costra y no se cura; o una mancha roja, plana y con escamas, o una zona que parece una cicatriz. Por lo general en la cara, las orejas o el cuello.',
    treatment:
      'Por lo general se quita con una pequeña operación. Raspar y quemar (curetaje y electrocoagulación), radioterapia, cremas o pastillas son otras opciones que el médico puede elegir.',
    complications:
      'Sin tratamiento puede dañar la piel, los nervios o partes cercanas como el ojo, y puede volver a salir después del tratamiento; por eso son importantes los controles.',
  },
  bkl: {
    name: 'Queratosis benigna (por ejemplo queratosis seborreica)',
    what: 'Un crecimiento inofensivo de la capa de arriba de la piel, frecuente con la edad y el sol. No es un cáncer, pero algunas se parecen a uno; por eso un médico debe confirmarlo.',
    signs:
      'Un bulto marrón, negro o café claro que parece de cera o “pegado” sobre la piel, a veces áspero. Puede salir en cualquier parte, menos en las palmas de las manos y las plantas de los pies.',
    treatment:
      'No necesita tratamiento. Si se irrita, se engancha en la ropa o le molesta, un médico puede quitarlo con frío, raspado o láser.',
    complications:
      'Puede irritarse, inflamarse o infectarse por el roce. El riesgo principal es confundirlo con un cáncer de piel; por eso ayuda que lo vea un médico.',
  },
  df: {
    name: 'Dermatofibroma',
    what: 'Un bultito firme e inofensivo en la piel, quizás una reacción a una pequeña herida, como una picadura de insecto. Es más frecuente en mujeres.',
    signs:
      'Un bulto redondo, firme y pequeño (por lo general de menos de 1 cm), rosado, marrón o gris, casi siempre en la parte baja de las piernas. Se hunde hacia dentro al pellizcarlo y puede doler un poco o picar.',
    treatment: 'No necesita tratamiento. Se puede quitar con una pequeña operación si duele o le molesta.',
    complications:
      'Rara vez duele o se infecta después de cortarse al afeitarse. Puede parecerse a otros bultos; deje que un médico lo confirme.',
  },
  mel: {
    name: 'Melanoma',
    what: 'El tipo de cáncer de piel más grave. Empieza en las células que dan color a la piel. Si se encuentra pronto, por lo general se cura con una operación sencilla. Si se encuentra tarde, puede extenderse a otras partes del cuerpo.',
    signs:
      'Un lunar nuevo, o un lunar que cambia. Señales de alarma (ABCDE): Asimetría, Bordes irregulares, varios Colores, Diámetro de más de 6 mm y Evolución (cambia). También puede picar o sangrar. Puede estar en cualquier parte del cuerpo.',
    treatment:
      'Se quita con cirugía y se hacen pruebas para ver si se ha extendido. Algunas personas necesitan más tratamiento, como inmunoterapia. Un especialista lo planifica.',
    complications:
      'Si no se trata pronto, puede extenderse a los ganglios linfáticos y a los órganos. Por eso un posible melanoma debe verlo un médico rápidamente.',
  },
  nv: {
    name: 'Nevus melanocítico (lunar común)',
    what: 'Un lunar normal: un grupo inofensivo de células de pigmento. Casi todo el mundo tiene algunos.',
    signs:
      'Una manchita redonda u ovalada, marrón, café claro o negra, de color y forma parejos. Puede ser plana o abultada y puede tener pelo.',
    treatment: 'No necesita tratamiento. Un médico puede quitarlo si se ve raro o le molesta.',
    complications:
      'Muy rara vez un lunar se convierte en melanoma. Vaya al médico si un lunar cambia de tamaño, forma o color, sangra o pica.',
  },
  vasc: {
    name: 'Lesión vascular (por ejemplo angioma rubí)',
    what: 'Una mancha formada por pequeños vasos sanguíneos. La mayoría son inofensivas, como los angiomas rubí (puntos rojos), las arañitas vasculares o las manchas de nacimiento.',
    signs: 'Una mancha o bultito rojo, morado o azul, a veces con bordes bien marcados; puede ponerse pálida al apretarla.',
    treatment: 'Por lo general ninguno. Si sangra a menudo o le molesta, un médico puede tratarla, por ejemplo con láser.',
    complications:
      'Puede sangrar si se rasca. Rara vez, en niños, una crece rápido o afecta a los ojos o a la respiración: en ese caso, vaya al médico.',
  },
};
