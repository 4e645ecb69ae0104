/** Colours and colour schemes as Plot reads them, so a spec tells a colour from a column as Plot would. */

/** Plot 0.6.17's schemes (src/scales/schemes.js). */
export const SCHEMES = 'accent category10 dark2 observable10 paired pastel1 pastel2 set1 set2 set3 tableau10 brbg prgn piyg puor rdbu rdgy rdylbu rdylgn spectral burd buylrd blues greens greys oranges purples reds turbo viridis magma inferno plasma cividis cubehelix warm cool bugn bupu gnbu orrd pubu pubugn purd rdpu ylgn ylgnbu ylorbr ylorrd rainbow sinebow'.split(' ');

// Plot's own test (isColor in src/options.js) for a colour rather than a column, so the spec reads a string as Plot would.
const NAMED_COLOURS = new Set('none,currentcolor,transparent,aliceblue,antiquewhite,aqua,aquamarine,azure,beige,bisque,black,blanchedalmond,blue,blueviolet,brown,burlywood,cadetblue,chartreuse,chocolate,coral,cornflowerblue,cornsilk,crimson,cyan,darkblue,darkcyan,darkgoldenrod,darkgray,darkgreen,darkgrey,darkkhaki,darkmagenta,darkolivegreen,darkorange,darkorchid,darkred,darksalmon,darkseagreen,darkslateblue,darkslategray,darkslategrey,darkturquoise,darkviolet,deeppink,deepskyblue,dimgray,dimgrey,dodgerblue,firebrick,floralwhite,forestgreen,fuchsia,gainsboro,ghostwhite,gold,goldenrod,gray,green,greenyellow,grey,honeydew,hotpink,indianred,indigo,ivory,khaki,lavender,lavenderblush,lawngreen,lemonchiffon,lightblue,lightcoral,lightcyan,lightgoldenrodyellow,lightgray,lightgreen,lightgrey,lightpink,lightsalmon,lightseagreen,lightskyblue,lightslategray,lightslategrey,lightsteelblue,lightyellow,lime,limegreen,linen,magenta,maroon,mediumaquamarine,mediumblue,mediumorchid,mediumpurple,mediumseagreen,mediumslateblue,mediumspringgreen,mediumturquoise,mediumvioletred,midnightblue,mintcream,mistyrose,moccasin,navajowhite,navy,oldlace,olive,olivedrab,orange,orangered,orchid,palegoldenrod,palegreen,paleturquoise,palevioletred,papayawhip,peachpuff,peru,pink,plum,powderblue,purple,rebeccapurple,red,rosybrown,royalblue,saddlebrown,salmon,sandybrown,seagreen,seashell,sienna,silver,skyblue,slateblue,slategray,slategrey,snow,springgreen,steelblue,tan,teal,thistle,tomato,turquoise,violet,wheat,white,whitesmoke,yellow'.split(','));

/** Whether a spec's string is a colour (`"#e15759"`, `"steelblue"`) rather than a column name. */
export function isColour(value: string): boolean {
  const v = value.toLowerCase().trim();
  return /^#[0-9a-f]{3,8}$/.test(v) || /^(?:url|var|rgb|rgba|hsl|hsla|hwb|lab|lch|oklab|oklch|color|color-mix)\(.*\)$/.test(v) || NAMED_COLOURS.has(v);
}
