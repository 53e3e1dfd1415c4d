//! A prior for name commonness: the most frequent surnames and given names of many
//! countries, from public name-frequency statistics, so that a match on a very common
//! name ("Kim Jong-hoon", "Wang Wei", "Mohammed Ali", "John Smith") needs supporting
//! evidence before it becomes a hit. The list only ever *lowers* confidence, and it
//! covers many regions evenly on purpose: a name missing from it is not suspicious, it is
//! just not known to be common. The index adds frequencies measured in its own corpus.
//!
//! Single tokens are looked up by spelling, so each spelling of a surname is listed
//! (Park, Pak, Bak): a romanisation key would also make the given-name syllable "Jong"
//! as common as the surname Jung. Given names of two or more romanised Hangul syllables
//! (Jung-hoon, Min-jun) are listed joined and looked up by their romanisation key, so
//! Jong-hoon, Junghun and Jung Hoon all find "junghoon".

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use crate::similarity::TokenKeys;

/// Commonness of a name in the top tier (roughly ≥ 1 % of a country's population).
const VERY_COMMON: f32 = 0.9;
/// Commonness of the next tier (frequent, but well below 1 %).
const COMMON: f32 = 0.7;

/// Top surnames and given names. Grouped by region in the source only so coverage can be
/// reviewed; nothing about origin is kept at run time.
const VERY_COMMON_NAMES: &str = "
    smith johnson williams brown jones miller davis wilson taylor anderson thomas moore
    martin jackson thompson white harris clark lewis robinson walker young allen king wright
    james john robert michael william david richard joseph charles daniel matthew mary
    patricia jennifer linda elizabeth barbara susan jessica sarah karen
    tremblay gagnon roy cote bouchard gauthier morin lavoie fortin
    garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores
    rivera gomez diaz cruz morales reyes gutierrez ortiz jimenez ruiz alvarez fernandez
    jose juan luis carlos jorge manuel antonio francisco maria ana carmen laura
    silva santos oliveira souza sousa rodrigues ferreira alves pereira lima gomes costa
    joao paulo lucas gabriel
    muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann
    peter andreas stefan klaus hans ursula anna
    bernard dubois robert richard petit durand leroy moreau simon laurent
    jean pierre michel philippe marie nathalie isabelle
    rossi russo ferrari esposito bianchi romano colombo ricci marino greco
    giuseppe giovanni mario luigi francesco
    nowak kowalski kowalska wisniewski wojcik kowalczyk kaminski lewandowski zielinski
    piotr krzysztof andrzej tomasz katarzyna
    ivanov ivanova smirnov smirnova kuznetsov kuznetsova popov popova petrov petrova
    sokolov sokolova vasiliev vasilyev mikhailov novikov fedorov morozov volkov
    aleksandr alexander sergey sergei dmitry dmitriy andrey andrei alexey aleksey vladimir
    ivan mikhail nikolai nikolay olga elena yelena tatiana tatyana natalia natalya irina
    melnyk shevchenko boyko kovalenko bondarenko tkachenko kovalchuk kravchenko oliynyk
    oleksandr volodymyr serhiy mykola olena
    mohammed muhammad mohamed mohammad mohamad ahmed ahmad ali hassan hasan hussein husain
    hussain ibrahim abdullah mahmoud mahmud omar umar youssef yusuf khalil abdul fatima
    fatma aisha ayesha mariam maryam khan
    hosseini mohammadi ahmadi rezaei moradi karimi jafari rahimi hashemi reza hossein mehdi
    fatemeh zahra
    singh kumar sharma patel gupta shah yadav reddy das raj rahul amit sanjay anil sunil
    priya pooja anita sunita ram krishna
    yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir mehmet mustafa ahmet
    huseyin ayse emine
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo
    wei fang min jing lei jun yan yong jie tao ming hui ying na xiuying
    kim gim lee yi ri rhee park pak bak choi choe jung jeong chung kang gang cho jo yoon yun
    jang chang lim im rim
    minjun seojun jihoon junghoon sunghoon sanghoon jihun younghee youngho youngsoo
    jiwoo seoyeon jiyeon minji eunji hyunwoo donghyun jinwoo jiho jaehyun
    sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato
    hiroshi takashi akira yuki kenji satoshi makoto yoko keiko naoko
    nguyen tran le pham hoang phan vu vo dang bui do ho ngo duong ly
    van thi anh minh hung huong linh thanh tuan
    okafor adeyemi okonkwo eze musa abubakar bello ogunleye chinedu emeka oluwaseun ngozi
    bautista ocampo mendoza dela mark angel
";

/// The next tier of frequent names.
const COMMON_NAMES: &str = "
    martin lee thompson garcia martinez robinson clark rodriguez lewis walker hall allen
    hill scott green adams baker nelson carter mitchell roberts turner phillips campbell
    parker evans edwards collins stewart morris murphy cook rogers morgan cooper peterson
    christopher anthony mark donald steven paul andrew joshua kenneth kevin brian george
    edward ronald timothy jason jeffrey ryan nancy lisa betty margaret sandra ashley
    kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca
    castillo romero vargas mendoza ramos herrera medina aguilar moreno munoz castro
    pedro miguel rafael fernando alejandro ricardo javier sergio rosa isabel elena lucia
    carvalho araujo martins rocha nascimento barbosa ribeiro almeida fernandes
    schafer koch bauer richter klein wolf schroder neumann schwarz zimmermann braun
    wolfgang jurgen gunter dieter uwe monika petra sabine
    fontaine lefebvre girard bonnet dupont lambert fontana conti
    alain nicolas christophe sophie catherine
    bruno gallo costa giordano mancini lombardi moretti barbieri
    marco paolo roberto alessandro andrea stefano
    szymanski wozniak dabrowski kozlowski jankowski mazur
    pawel marcin michal jan agnieszka malgorzata
    lebedev kozlov egorov pavlov semenov golubev vinogradov bogdanov orlov stepanov
    nikolaev zaitsev solovyov
    yuri yury oleg igor viktor pavel anatoly svetlana lyudmila anna galina marina
    kovalenko koval lysenko marchenko rudenko savchenko petrenko
    taras bohdan andriy yuriy oksana iryna
    saleh salem saeed said nasser khaled khalid karim rashid tariq ismail jamal walid
    abdelrahman abdulrahman abdallah mustafa ali hamid hamed
    ebrahimi kazemi sadeghi mousavi rostami najafi ghasemi
    amir hamid saeed ahmad
    rao joshi mehta verma jain iyer nair pillai mishra pandey
    ravi vijay suresh ramesh deepak manoj lakshmi
    arslan dogan kilic aslan cetin kara koc kurt
    hasan ibrahim murat ali
    xie han tang feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye
    cheng wei fang ping hua gang qiang
    song han oh o seo shin sin kwon gwon hwang ahn an ryu yu yoo hong jeon ko go moon mun
    yang son bae pae baek paek heo nam noh no ro
    yumi sakura haruto yuto sota
    tanaka kimura hayashi shimizu yamazaki mori abe ikeda hashimoto
    ly truong dinh lam mai
    lan mai hoa ngoc quang duc
    adebayo olawale chukwu nwosu okeke abdullahi usman aliyu
    babatunde tunde chiamaka
    dela santos reyes cruz garcia ramos aquino
    ";

fn prior() -> &'static FxHashMap<String, f32> {
    static MAP: OnceLock<FxHashMap<String, f32>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: FxHashMap<String, f32> = FxHashMap::default();
        for (list, level) in [(COMMON_NAMES, COMMON), (VERY_COMMON_NAMES, VERY_COMMON)] {
            for name in list.split_whitespace() {
                let keys = TokenKeys::new(name);
                let mut insert = |key: String| {
                    let entry = map.entry(key).or_insert(level);
                    *entry = entry.max(level);
                };
                insert(name.to_string());
                if let Some(key) = multi_syllable_key(&keys) {
                    insert(key);
                }
            }
        }
        map
    })
}

/// The romanisation key of a token of two or more romanised Hangul syllables (one vowel
/// code per syllable in the key), prefixed so it cannot collide with a spelling.
fn multi_syllable_key(keys: &TokenKeys) -> Option<String> {
    let key = keys.romanisation.as_deref()?;
    let syllables = key.bytes().filter(|b| b"AEIO".contains(b)).count();
    (syllables >= 2).then(|| format!("~{key}"))
}

/// Prior commonness (0 = not known to be common) of a token or of a joined token pair.
pub(crate) fn prior_commonness(keys: &TokenKeys) -> f32 {
    let map = prior();
    if let Some(level) = map.get(&*keys.text) {
        return *level;
    }
    multi_syllable_key(keys)
        .and_then(|key| map.get(&key).copied())
        .unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common(text: &str) -> f32 {
        prior_commonness(&TokenKeys::new(text))
    }

    #[test]
    fn spellings_of_listed_names_are_found() {
        assert_eq!(common("kim"), VERY_COMMON);
        assert_eq!(common("gim"), VERY_COMMON);
        assert_eq!(common("pak"), VERY_COMMON);
        assert_eq!(common("jonghun"), VERY_COMMON);
        assert_eq!(common("jong"), 0.0);
        assert_eq!(common("jongun"), 0.0);
        assert_eq!(common("junghoon"), VERY_COMMON);
        assert_eq!(common("smith"), VERY_COMMON);
        assert_eq!(common("sobaeksu"), 0.0);
        assert_eq!(common("jinhyok"), 0.0);
    }
}
